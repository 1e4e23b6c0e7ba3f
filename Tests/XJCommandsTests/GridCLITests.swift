import Foundation
import Testing
import XJTestSupport

/// `xj grid` run as a user runs it: resume after kill -9, and two sweeps at once.
@Suite struct GridCLITests {
    func stagedExperiments(_ folder: String) throws -> Int {
        let status = try BuiltBinary.xj(["status", "--json"], in: folder)
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        return ((object?["staged"] as? [[String: Any]]) ?? []).filter { ($0["path"] as? String)?.hasPrefix("experiments/") == true }.count
    }

    @Test func aKilledSweepResumesWithOnlyTheMissingPoints() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let arguments = ["grid", "--data", "digits", "--model", "mlp", "hidden=64", "epochs=12", "seed=1..6", "--json"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while try stagedExperiments(folder) < 2 && Date() < deadline && process.isRunning { usleep(50_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let finishedBeforeKill = try stagedExperiments(folder)
            #expect(finishedBeforeKill >= 2 && finishedBeforeKill < 6, "killed after \(finishedBeforeKill) points")
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)

            let resumed = try BuiltBinary.xj(arguments, in: folder)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
            #expect(result["trained"] as? Int == 6 - finishedBeforeKill)
            let runs = try BuiltBinary.xj(["runs", "--all", "--json"], in: folder)
            let experiments = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
            #expect(experiments.count == 6)
            #expect(Set(experiments.compactMap { $0["run_key"] as? String }).count == 6, "one experiment per run key")
        }
    }

    @Test func twoSweepsAtOnceLoseNoRecord() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let sweeps = try ["1..4", "5..8"].map { seeds -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
                process.arguments = ["grid", "--data", "digits", "--model", "linear", "epochs=3", "seed=\(seeds)", "lr=0.1,0.05"]
                process.currentDirectoryURL = URL(fileURLWithPath: folder)
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                return process
            }
            for sweep in sweeps {
                sweep.waitUntilExit()
                #expect(sweep.terminationStatus == 0)
            }
            let tree = try BuiltBinary.git(["--git-dir", ".journal", "ls-tree", "-r", "-d", "--name-only", "main", "experiments/"], in: folder)
            let experiments = tree.stdout.split(separator: "\n").filter { $0.split(separator: "/").count == 4 }
            #expect(experiments.count == 16)
            #expect(try stagedExperiments(folder) == 0)
            #expect(try BuiltBinary.xj(["fsck"], in: folder).status == 0)
        }
    }

    @Test func dryRunListsPointsAndKnownOnes() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=2", "lr=0.1"], in: folder)
            let dry = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "linear", "epochs=2", "lr=0.1,0.2", "--dry-run"], in: folder)
            #expect(dry.stdout.hasPrefix("2 points, 1 already run:"))
            let random = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "--random", "3", "--seed", "5", "lr=1e-4:1e-1:log",
                                             "dropout=0:0.5", "epochs=1", "--dry-run", "--json"], in: folder)
            let points = try #require(try JSONSerialization.jsonObject(with: Data(random.stdout.utf8)) as? [[String: Any]])
            #expect(points.count == 3)
            for point in points {
                let lr = try #require((point["params"] as? [String: Any])?["lr"] as? Double)
                #expect(lr >= 1e-4 && lr <= 0.1)
            }
            let again = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "--random", "3", "--seed", "5", "lr=1e-4:1e-1:log",
                                            "dropout=0:0.5", "epochs=1", "--dry-run", "--json"], in: folder)
            #expect(again.stdout == random.stdout, "the same seed draws the same points")
            let bad = try BuiltBinary.xj(["grid", "--data", "digits", "lr=0.1:0.2"], in: folder)
            #expect(bad.stderr == "xj: error: parameter `lr`: a range (lo:hi) needs --random N; a grid takes lists a,b,c or lo..hi\n")
        }
    }
}
