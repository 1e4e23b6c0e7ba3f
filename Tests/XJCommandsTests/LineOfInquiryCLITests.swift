import Foundation
import Testing
import XJTestSupport

/// A command records on the line of inquiry it started on, and `--on` works on another line with its own stage (issue 12 §4).
@Suite struct LineOfInquiryCLITests {
    @Test func sweepCommitsOnTheLineItStartedOnWhenAnotherTerminalSwitches() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["branch", "side"], in: folder)
            let sweep = Process()
            sweep.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
            sweep.arguments = ["grid", "--data", "digits", "--model", "mlp", "hidden=64", "seed=1..4", "epochs=6"]
            sweep.currentDirectoryURL = URL(fileURLWithPath: folder)
            sweep.standardOutput = FileHandle.nullDevice
            sweep.standardError = FileHandle.nullDevice
            try sweep.run()
            // The other terminal switches while the sweep trains its first point.
            usleep(300_000)
            #expect(try BuiltBinary.xj(["switch", "side"], in: folder).status == 0)
            sweep.waitUntilExit()
            #expect(sweep.terminationStatus == 0)
            let main = try BuiltBinary.git(["--git-dir", ".journal", "log", "--format=%s", "main"], in: folder).stdout
            let side = try BuiltBinary.git(["--git-dir", ".journal", "log", "--format=%s", "side"], in: folder).stdout
            #expect(main.hasPrefix("grid mlp on digits: 4 points"), "\(main)")
            #expect(side == "data\n", "the sweep's commit landed on side: \(side)")
            #expect(try BuiltBinary.xj(["status"], in: folder).stdout.contains("Nothing staged."))
        }
    }

    @Test func twoLinesWorkAtOnceWithTheirOwnStages() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["branch", "side"], in: folder)
            let onSide = try BuiltBinary.xj(["train", "--on", "side", "--data", "digits", "--model", "linear", "epochs=1", "seed=2"], in: folder)
            #expect(onSide.status == 0, "\(onSide.stderr)")
            let onMain = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=3"], in: folder)
            #expect(onMain.status == 0, "\(onMain.stderr)")
            let status = try BuiltBinary.xj(["status"], in: folder).stdout
            #expect(status.contains("On line of inquiry main") && status.contains("Also staged on side: 1 record (xj status --on side)"))
            #expect(try BuiltBinary.xj(["commit", "-m", "main's run"], in: folder).stdout.contains("+1 experiment"))
            let sideCommit = try BuiltBinary.xj(["commit", "--on", "side", "-m", "side's run"], in: folder)
            #expect(sideCommit.stdout.hasPrefix("[side ") && sideCommit.stdout.contains("+1 experiment"))
            let mainLog = try BuiltBinary.git(["--git-dir", ".journal", "log", "--format=%s", "main"], in: folder).stdout
            #expect(mainLog == "main's run\ndata\n")

            // A switch leaves staged work on its line and says so.
            _ = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "seed=4"], in: folder)
            let switched = try BuiltBinary.xj(["switch", "side"], in: folder)
            #expect(switched.stdout == "Switched to line of inquiry side\n1 staged record stays on main (xj commit --on main records them; --carry takes them along)\n")
            let typo = try BuiltBinary.xj(["train", "--on", "sied", "--data", "digits", "--model", "linear"], in: folder)
            #expect(typo.status != 0 && typo.stderr == "xj: error: no line of inquiry \"sied\" in the journal (did you mean \"side\"?)\n")
        }
    }
}
