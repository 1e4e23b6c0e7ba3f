import Foundation
import Testing
import XJTestSupport

/// `xj run` with real programs, and the Python client.
@Suite struct RunCLITests {
    static var root: String { URL(fileURLWithPath: Fixtures.digitsPath).deletingLastPathComponent().deletingLastPathComponent().path }

    /// The virtual environment's python with scikit-learn, installed by scripts/install-test-tools.
    static func sklearnPython() throws -> String {
        let python = ProcessInfo.processInfo.environment["XJ_TEST_PYTHON"] ?? root + "/.build-test/venv/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CLIError("no python with scikit-learn at \(python): run scripts/test (scripts/install-test-tools creates it)")
        }
        return python
    }

    struct CLIError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func scikitLearnScriptRecordedAndRerunDetected() throws {
        let python = try Self.sklearnPython()
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            try FileManager.default.copyItem(atPath: Fixtures.digitsPath, toPath: folder + "/digits.csv")
            let script = Self.root + "/python/examples"
            let environment = ["PYTHONPATH": Self.root + "/python"]
            func run(_ c: String) throws -> ProcessResult {
                try BuiltBinary.xj(["run", "--param", "C=\(c)", "--input", "digits.csv", "--code", script, "--json", "--",
                                    python, script + "/digits_logistic.py", "digits.csv"], in: folder, environment: environment)
            }
            let first = try run("0.5")
            #expect(first.status == 0, "\(first.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            #expect(object["outcome"] as? String == "ran")
            let metrics = try #require(object["metrics"] as? [String: Any])
            #expect((metrics["val_accuracy"] as? Double ?? 0) > 0.9)
            #expect((metrics["train_accuracy"] as? Double ?? 0) > 0.9)
            #expect(first.stderr.contains("val_accuracy 0."), "the program's stdout is passed through (to stderr with --json)")
            let id = try #require(object["id"] as? String)
            let sklearn = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-p", "\(id):results/output/sklearn.json"], in: folder)
            #expect(sklearn.stdout.contains("sklearn.linear_model._logistic.LogisticRegression") && sklearn.stdout.contains("\"C\": 0.5"))
            let params = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-p", "\(id):inputs/params.json"], in: folder)
            #expect(params.stdout == #"{"C":0.5}"#)
            let recorded = try BuiltBinary.git(["--git-dir", ".journal", "ls-tree", "-r", "--name-only", "\(id):inputs"], in: folder)
            #expect(recorded.stdout.contains("files/digits.csv") && recorded.stdout.contains("code/digits_logistic.py"))

            let again = try run("0.5")
            #expect(again.status == 0)
            #expect((try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])?["outcome"] as? String == "already_run")
            #expect(!again.stderr.contains("val_accuracy"), "nothing ran")

            let changed = try run("2")
            #expect((try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])?["outcome"] as? String == "ran")
            _ = try BuiltBinary.xj(["commit", "-m", "logistic regression, C 0.5 and 2"], in: folder)
            let show = try BuiltBinary.xj(["show", id], in: folder)
            #expect(show.stdout.contains("command   \(python) ") && show.stdout.contains("status    ok (exit status 0)"))
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test func failuresOutputsAndTheRunKey() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let failing = ["run", "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"]
            let failed = try BuiltBinary.xj(failing, in: folder)
            #expect(failed.status == 3, "xj exits with the program's status")
            #expect(failed.stdout.hasPrefix("to-stdout\n"))
            #expect(failed.stderr.contains("xj: error: `sh` exited with status 3; recorded as failed experiment"))
            let id = try #require(failed.stdout.split(separator: "\n").first { $0.hasPrefix("experiment") }?.split(separator: " ")[1])
            let stderr = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-p", "\(id):results/stderr.txt"], in: folder)
            #expect(stderr.stdout == "to-stderr\n")
            let run = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-p", "\(id):run.json"], in: folder)
            #expect(run.stdout.contains("\"status\":\"failed\"") && run.stdout.contains("\"exit_status\":3"))
            // A failure is not "already run"; with --skip-failed it is.
            #expect(try BuiltBinary.xj(failing, in: folder).stdout.contains("(staged, failed)"))
            #expect(try BuiltBinary.xj(["run", "--skip-failed"] + failing.dropFirst(), in: folder).stdout.hasPrefix("already run"))

            let writer = ["run", "--param", "n=3", "--", "sh", "-c",
                          #"printf '{"score": 0.75}' > "$XJ_OUTPUT/metrics.json"; printf '{"epoch":[1,2],"loss":[0.5,0.25]}' > "$XJ_OUTPUT/curves.json"; echo model > "$XJ_OUTPUT/model.txt"; cat "$XJ_PARAMS""#]
            let wrote = try BuiltBinary.xj(writer, in: folder)
            #expect(wrote.status == 0)
            #expect(wrote.stdout.hasPrefix(#"{"n":3}"#), "XJ_PARAMS holds the canonical params")
            let wroteID = try #require(wrote.stdout.split(separator: "\n").first { $0.hasPrefix("experiment") }?.split(separator: " ")[1])
            let files = try BuiltBinary.git(["--git-dir", ".journal", "ls-tree", "-r", "--name-only", "\(wroteID):results"], in: folder)
            #expect(files.stdout.split(separator: "\n").sorted() == ["curves.json", "metrics.json", "output/model.txt", "stderr.txt", "stdout.txt"])
            #expect(try BuiltBinary.xj(writer, in: folder).stdout.hasPrefix("already run"))
            var changed = writer
            changed[2] = "n=4"
            #expect(try BuiltBinary.xj(changed, in: folder).stdout.contains("run key"), "a changed param runs again")

            let badMetrics = try BuiltBinary.xj(["run", "--", "sh", "-c", #"echo '{"acc": "high"}' > "$XJ_OUTPUT/metrics.json""#], in: folder)
            #expect(badMetrics.status == 1)
            #expect(badMetrics.stderr.contains("XJ_OUTPUT/metrics.json, key `acc`: must be a finite number"))

            let before = try snapshot(of: folder + "/.journal")
            let missing = try BuiltBinary.xj(["run", "--input", "nosuch.csv", "--", "true"], in: folder)
            #expect(missing.status == 1 && missing.stderr == "xj: error: nosuch.csv: no such file or folder\n")
            let noProgram = try BuiltBinary.xj(["run", "--param", "a=1"], in: folder)
            #expect(noProgram.status != 0 && noProgram.stderr.contains("no program given"))
            let unknown = try BuiltBinary.xj(["run", "--", "no-such-program-xj"], in: folder)
            #expect(unknown.status == 1 && unknown.stderr.contains("cannot start `no-such-program-xj`"))
            #expect(try snapshot(of: folder + "/.journal") == before)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test func pythonClientOutsideXJRunWritesNothingAndSaysSoOnce() throws {
        try withScratchDirectory { folder in
            let script = "import xj\nprint(xj.params({'a': 1}))\nxj.log_metric('x', 1.0)\nxj.log_metric('y', 2.0, step=1)\nprint(xj.active())\n"
            let result = try BuiltBinary.run("/usr/bin/env", ["python3", "-c", script], in: folder,
                                             environment: ["PYTHONPATH": Self.root + "/python", "XJ_OUTPUT": "", "XJ_PARAMS": ""])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "{'a': 1}\nFalse\n")
            #expect(result.stderr == "xj: not running under `xj run` (XJ_OUTPUT is not set): metrics are not recorded\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
    }

    @Test func pythonClientCurvesAndKerasCallbackWithoutKeras() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let script = """
            import xj
            for step, loss in [(1, 0.9), (2, 0.5), (3, 0.4)]:
                xj.log_metrics({"loss": loss}, step=step)
            xj.log_metric("val_loss", 0.6, step=2)
            try:
                xj.KerasCallback()
            except ImportError as error:
                print("keras:", error)
            """
            let result = try BuiltBinary.xj(["run", "--json", "--", "python3", "-c", script], in: folder,
                                            environment: ["PYTHONPATH": Self.root + "/python"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("keras: xj.KerasCallback needs Keras"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let curves = try #require(object["curves"] as? [String: Any])
            #expect(curves["epoch"] as? [Double] == [1, 2, 3])
            #expect(curves["loss"] as? [Double] == [0.9, 0.5, 0.4])
            #expect((curves["val_loss"] as? [Any])?.count == 3)
            #expect((object["metrics"] as? [String: Double]) == ["loss": 0.4, "val_loss": 0.6])
        }
    }
}
