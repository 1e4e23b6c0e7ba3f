import Foundation
import Testing
import XJTestSupport

/// The run index is a cache: it never answers "already run" for an experiment whose objects are gone (issue 12 §4).
@Suite struct StaleIndexCLITests {
    @Test(arguments: ["results/metrics.json", "run.json", ""])
    func missingExperimentObjectsCountAsNotRun(_ removed: String) throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let arguments = ["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=5"]
            let first = try BuiltBinary.xj(arguments, in: folder)
            #expect(first.status == 0, "\(first.stderr)")
            _ = try BuiltBinary.xj(["commit", "-m", "one run"], in: folder)
            // Warm the run index so that it lists the experiment.
            #expect(try BuiltBinary.xj(arguments, in: folder).stdout.hasPrefix("already run"))
            let experiment = String(first.stdout.split(separator: "\n")[1].split(separator: " ", omittingEmptySubsequences: true)[1])
            let target = removed.isEmpty ? experiment
                : try BuiltBinary.git(["--git-dir", ".journal", "rev-parse", "\(experiment):\(removed)"], in: folder).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            let object = folder + "/.journal/objects/" + target.prefix(2) + "/" + target.dropFirst(2)
            #expect(FileManager.default.fileExists(atPath: object))
            try FileManager.default.removeItem(atPath: object)

            let again = try BuiltBinary.xj(arguments, in: folder)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(!again.stdout.hasPrefix("already run"), "the index answered for an experiment whose \(removed.isEmpty ? "tree" : removed) is gone")
            #expect(again.stdout.hasPrefix("run key"))
            #expect(again.stderr == "xj: warning: experiment \(experiment.prefix(7)) (run key \(first.stdout.split(separator: " ", omittingEmptySubsequences: true)[2].prefix(7))) " +
                    "is listed but its objects are missing or corrupt, so it counts as not run; the journal is damaged: run xj fsck\n")
        }
    }
}
