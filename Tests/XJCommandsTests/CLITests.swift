import Foundation
import Testing
import XJTestSupport

/// The built `xj` run as a user runs it: stdout, stderr and exit status.
@Suite struct CLITests {
    @Test func workflowEndToEnd() throws {
        try withScratchDirectory { folder in
            let initResult = try BuiltBinary.xj(["init"], in: folder)
            #expect(initResult.status == 0)
            #expect(initResult.stdout == "Initialized an empty journal in \(folder)/.journal (line of inquiry: main)\n")
            let add = try BuiltBinary.xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"], in: folder)
            #expect(add.status == 0 && add.stderr.isEmpty)
            #expect(add.stdout.hasPrefix("dataset digits "))
            #expect(add.stdout.contains("1797 rows × 65 columns, label target (classification, 10 classes) — staged"))
            try writeFile(folder, "params.yaml", "lr: 0.01\nhidden: [128, 64]\n")
            #expect(try BuiltBinary.xj(["add", "params.yaml"], in: folder).stdout.contains("params params "))
            let status = try BuiltBinary.xj(["status"], in: folder)
            #expect(status.stdout.contains("On line of inquiry main (no commits yet)"))
            #expect(status.stdout.contains("datasets/digits") && status.stdout.contains("params/params"))
            let commit = try BuiltBinary.xj(["commit", "-m", "add the digits data"], in: folder)
            #expect(commit.status == 0)
            #expect(commit.stdout.hasSuffix("add the digits data (+dataset digits, +params params)\n"))

            let log = try BuiltBinary.xj(["log", "--json", "-n", "5"], in: folder)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries[0]["note"] as? String == "add the digits data")
            #expect(entries[0]["recorded"] as? String == "+dataset digits, +params params")
            #expect((entries[0]["branches"] as? [String]) == ["main"])

            let show = try BuiltBinary.xj(["show", "digits", "--json"], in: folder)
            let dataset = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            #expect((dataset["manifest"] as? [String: Any])?["rows"] as? Int == 1797)

            #expect(try BuiltBinary.xj(["branch", "dropout-study"], in: folder).status == 0)
            #expect(try BuiltBinary.xj(["switch", "dropout-study"], in: folder).stdout == "Switched to line of inquiry dropout-study\n")
            try writeFile(folder, "params.yaml", "lr: 0.01\nhidden: [128, 64]\ndropout: 0.5\n")
            _ = try BuiltBinary.xj(["add", "params.yaml"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "dropout"], in: folder)
            let diff = try BuiltBinary.xj(["diff", "main", "dropout-study"], in: folder)
            #expect(diff.stdout.contains("changed params params"))
            #expect(diff.stdout.contains("dropout  (none)  →  0.5"))
            let branches = try BuiltBinary.xj(["branch"], in: folder)
            #expect(branches.stdout.hasPrefix("* dropout-study"))
            let fsck = try BuiltBinary.xj(["fsck"], in: folder)
            #expect(fsck.status == 0 && fsck.stdout.hasSuffix("ok\n"))

            // Plain git reads and accepts everything xj wrote.
            let gitFsck = try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder)
            #expect(gitFsck.status == 0)
            #expect(!gitFsck.stderr.contains("error"))
            let gitLog = try BuiltBinary.git(["--git-dir", ".journal", "log", "--oneline", "dropout-study"], in: folder)
            #expect(gitLog.stdout.split(separator: "\n").map { $0.dropFirst(8) } == ["dropout", "add the digits data"])
        }
    }

    @Test(arguments: [
        (["commit", "-m", "x"], "xj: error: nothing staged to commit (use `xj add`, or `xj commit --allow-empty` for a note)\n"),
        (["show", "nope"], "xj: error: no commit, dataset or parameter set named \"nope\" in the journal\n"),
        (["switch", "nope"], "xj: error: no line of inquiry \"nope\" in the journal\n"),
        (["diff", "main", "nope"], "xj: error: no branch or commit \"nope\" in the journal\n"),
        (["add", "missing.csv"], "xj: error: missing.csv: no such file\n"),
        (["init"], nil),
        (["branch", "bad..name"], "xj: error: line of inquiry name \"bad..name\" is not a valid git branch name\n"),
        (["log", "-n", "0"], nil),
    ] as [([String], String?)])
    func errorsAreOneLineAndChangeNothing(_ arguments: [String], _ message: String?) throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["commit", "--allow-empty", "-m", "start"], in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let result = try BuiltBinary.xj(arguments, in: folder)
            #expect(result.status != 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("xj: error: "))
            if let message { #expect(result.stderr == message) }
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }

    @Test func outsideAJournal() throws {
        try withScratchDirectory { folder in
            let result = try BuiltBinary.xj(["status"], in: folder)
            #expect(result.status == 1)
            #expect(result.stderr == "xj: error: not inside a journal (no .journal in \(folder) or any parent folder); run `xj init` first or pass --journal PATH\n")
            let viaEnvironment = try BuiltBinary.xj(["status"], in: "/", environment: ["XJ_DIR": folder + "/none"])
            #expect(viaEnvironment.status == 1)
        }
    }

    @Test func helpHasExamples() throws {
        let help = try BuiltBinary.xj(["add", "--help"], in: "/")
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("xj add data/digits.csv --name digits --label target"))
    }
}
