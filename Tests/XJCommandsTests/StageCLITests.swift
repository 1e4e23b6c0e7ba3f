import Foundation
import Testing
import XJTestSupport

/// The stage behaves like git's index: commands commit only their own work, and work comes off the
/// stage or moves with the line of inquiry only when asked (issue 13 §1).
@Suite struct StageCLITests {
    func xj(_ arguments: [String], _ folder: String) throws -> ProcessResult {
        let result = try BuiltBinary.xj(arguments, in: folder)
        #expect(result.status == 0, "xj \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func stagedPaths(_ folder: String) throws -> [String] {
        let status = try JSONSerialization.jsonObject(with: Data(try xj(["status", "--json"], folder).stdout.utf8)) as? [String: Any]
        return ((status?["staged"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
    }

    @Test func gridAndVerdictCommitOnlyTheirOwnWork() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let unrelated = try xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=9"], folder)
            let unrelatedID = String(unrelated.stdout.split(separator: "\n")[1].split(separator: " ", omittingEmptySubsequences: true)[1])
            let grid = try xj(["grid", "--data", "digits", "--model", "linear", "lr=0.1,0.01", "epochs=1"], folder)
            #expect(grid.stdout.contains("] 2 experiments committed"), "\(grid.stdout)")
            #expect(grid.stderr == "xj: 1 staged experiment is not in this sweep's commit; xj commit first (xj status lists them)\n")
            let shown = try xj(["show", "HEAD", "--json"], folder)
            #expect(!shown.stdout.contains(unrelatedID), "the sweep's commit swept in an unrelated staged run")
            #expect(try stagedPaths(folder).count == 1 && (try stagedPaths(folder))[0].hasSuffix(unrelatedID))

            _ = try xj(["hypothesis", "new", "h", "s", "--predict", "mean(val_loss | lr=0.1) < 5"], folder)
            _ = try xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=10"], folder)
            let verdict = try xj(["verdict"], folder)
            #expect(verdict.stderr == "xj: 1 staged experiment is not in this verdict; xj commit first (xj status lists them)\n")
            let changed = try BuiltBinary.git(["--git-dir", ".journal", "diff-tree", "--no-commit-id", "-r", "--name-only", "HEAD"], in: folder)
            #expect(changed.stdout == "verdict.json\n", "the verdict's commit recorded more than the verdict: \(changed.stdout)")
            #expect(try stagedPaths(folder).count == 1)
        }
    }

    @Test func restoreTakesWorkOffTheStage() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let trained = try xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=1"], folder)
            let id = String(trained.stdout.split(separator: "\n")[1].split(separator: " ", omittingEmptySubsequences: true)[1])
            _ = try xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=2"], folder)
            _ = try xj(["add", "--name", "fast", "lr=0.1"], folder)
            #expect(try stagedPaths(folder).count == 3)
            let one = try xj(["restore", "--staged", String(id.prefix(8)), "fast"], folder)
            let lines = one.stdout.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("unstaged experiments/") && lines[0].hasSuffix("/\(id)") && lines[1] == "unstaged params/fast")
            #expect(try stagedPaths(folder).count == 1)
            let before = try snapshot(of: folder + "/.journal")
            let refused = try BuiltBinary.xj(["restore", "--staged", "--all"], in: folder)
            #expect(refused.status == 1 && refused.stderr == "xj: error: --all would discard 1 staged record on main; add --force to do it\n")
            let unknown = try BuiltBinary.xj(["restore", "--staged", "nothing-like-it"], in: folder)
            #expect(unknown.status != 0 && unknown.stderr.hasPrefix("xj: error: no staged record \"nothing-like-it\""))
            #expect(try snapshot(of: folder + "/.journal") == before)
            _ = try xj(["restore", "--staged", "--all", "--force"], folder)
            #expect(try xj(["status"], folder).stdout.contains("Nothing staged."))
            // The experiment is no longer staged, so the same inputs run again.
            #expect(try xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=1"], folder).stdout.hasPrefix("run key"))
        }
    }

    @Test func branchesAreDeletedAndRenamedSafely() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try xj(["branch", "side"], folder)
            _ = try xj(["commit", "--on", "side", "--allow-empty", "-m", "only on side"], folder)
            let refused = try BuiltBinary.xj(["branch", "-d", "side"], in: folder)
            #expect(refused.status != 0 && refused.stderr.contains("has commits on no other line") && refused.stderr.contains("xj branch -D side"))
            _ = try xj(["train", "--on", "side", "--data", "digits", "--model", "linear", "epochs=1"], folder)
            _ = try xj(["branch", "-m", "side", "lane"], folder)
            #expect(try xj(["status", "--on", "lane"], folder).stdout.contains("Staged for the next commit:"))
            let names = try xj(["branch"], folder).stdout.split(separator: "\n").map { $0.dropFirst(2).split(separator: " ").first.map(String.init) ?? "" }
            #expect(names == ["lane", "main"])
            let current = try BuiltBinary.xj(["branch", "-d", "main"], in: folder)
            #expect(current.status != 0 && current.stderr.contains("is the current one"))
            _ = try xj(["branch", "-D", "lane"], folder)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "for-each-ref", "--format=%(refname)"], in: folder).stdout == "refs/heads/main\n")
            _ = try xj(["branch", "merged"], folder)
            #expect(try xj(["branch", "-d", "merged"], folder).stdout == "Deleted line of inquiry merged\n")
        }
    }

    @Test func switchCarriesStagedWorkOnlyWhenAsked() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try xj(["branch", "side"], folder)
            _ = try xj(["train", "--data", "digits", "--model", "linear", "epochs=1"], folder)
            let carried = try xj(["switch", "--carry", "side"], folder)
            #expect(carried.stdout == "Switched to line of inquiry side\ncarried 1 staged record from main\n")
            #expect(try stagedPaths(folder).count == 1)
            #expect(try xj(["status", "--on", "main"], folder).stdout.contains("Nothing staged."))
        }
    }
}
