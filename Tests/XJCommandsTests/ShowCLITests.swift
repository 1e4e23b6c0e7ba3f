import Foundation
import Testing
import XJTestSupport

/// What `show`, `log` and a mistyped command tell a user (issue 13 §5).
@Suite struct ShowCLITests {
    @Test func aMistypedCommandSuggestsTheNearest() throws {
        let result = try BuiltBinary.xj(["trian", "--data", "digits"], in: "/")
        #expect(result.status == 64)
        #expect(result.stderr == "xj: error: unknown command `trian` (did you mean `train`?); xj --help lists the commands\n")
    }

    /// A command that fails at once exits while libgit2 may still be starting on its background thread;
    /// that once crashed about one run in a hundred (SIGSEGV in the loader). Four hundred runs, none may.
    @Test func aCommandThatFailsAtOnceNeverCrashesOnItsWayOut() throws {
        let failures = FuzzCLITests.Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for run in 0..<200 {
                guard let result = try? BuiltBinary.xj(["trian"], in: "/") else { failures.add("run \(worker).\(run) did not start"); continue }
                if result.status != 64 || result.stderr.split(separator: "\n").count != 1 {
                    failures.add("run \(worker).\(run): status \(result.status), stderr \(result.stderr.prefix(200))")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.count) of 400 runs: \(failures.all.prefix(3))")
    }

    @Test func showAndLogListWhatACommitRecorded() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "one run"], in: folder)
            let shown = try BuiltBinary.xj(["show", "HEAD"], in: folder)
            let line = try #require(shown.stdout.split(separator: "\n").first { $0.contains("added  experiment ") })
            #expect(line.contains("run key ") && line.contains("val_accuracy ") && line.contains("val_loss "))
            let log = try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["log", "--json", "-n", "1"], in: folder).stdout.utf8)) as? [[String: Any]]
            let show = try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["show", "HEAD", "--json"], in: folder).stdout.utf8)) as? [String: Any]
            let logged = try #require(log?.first?["changes"] as? [[String: Any]])
            #expect(logged.count == 1 && logged.map { $0["path"] as? String } == (show?["changes"] as? [[String: Any]])?.map { $0["path"] as? String })
        }
    }

    @Test func showOfAFailedRunEndsWithItsStderr() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let run = try BuiltBinary.xj(["run", "--json", "--", "/bin/sh", "-c", "echo first line >&2; echo the real reason >&2; exit 3"], in: folder)
            #expect(run.status == 3)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            let shown = try BuiltBinary.xj(["show", String(id.prefix(10))], in: folder)
            #expect(shown.stdout.contains("  error     `/bin/sh` exited with status 3"))
            #expect(shown.stdout.contains("stderr (last 2 lines):\n  first line\n  the real reason\n"))
        }
    }
}
