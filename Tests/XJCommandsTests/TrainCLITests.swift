import Foundation
import Testing
import XJTestSupport

/// `xj train` run as a user runs it.
@Suite struct TrainCLITests {
    @Test func trainCommitShowAndRerun() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"], in: folder)
            let train = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=32", "epochs=4", "seed=1"], in: folder)
            #expect(train.status == 0)
            #expect(train.stderr.isEmpty, "no progress bar when not on a terminal")
            let lines = train.stdout.split(separator: "\n")
            #expect(lines.count >= 4 && lines[0].hasPrefix("run key") && lines[1].hasPrefix("experiment") && lines[2].hasPrefix("metrics     val_accuracy"))
            #expect(lines[3].hasPrefix("checks    ") && lines[3].contains("pass"))
            let experiment = String(lines[1].split(separator: " ", omittingEmptySubsequences: true)[1])

            let again = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "seed=1", "epochs=4.0", "hidden=32"], in: folder)
            #expect(again.status == 0)
            #expect(again.stdout.hasPrefix("already run: experiment \(experiment.prefix(7))"))

            let commit = try BuiltBinary.xj(["commit", "-m", "baseline MLP"], in: folder)
            #expect(commit.stdout.contains("+1 experiment"))
            let show = try BuiltBinary.xj(["show", experiment], in: folder)
            #expect(show.stdout.contains("Learning curve:") && show.stdout.contains("val_accuracy"))
            let json = try BuiltBinary.xj(["show", experiment, "--json"], in: folder)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let metrics = try #require(object["metrics"] as? [String: Any])
            #expect((metrics["val_accuracy"] as? Double ?? 0) > 0.8)
            #expect(metrics["val_loss"] is Double)
            #expect(((object["curves"] as? [String: Any])?["val_loss"] as? [Double])?.count == 4)

            let linear = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "lr=0.1", "epochs=3", "seed=3", "--json"], in: folder)
            let trained = try #require(try JSONSerialization.jsonObject(with: Data(linear.stdout.utf8)) as? [String: Any])
            #expect(trained["outcome"] as? String == "trained")
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test(arguments: [
        (["hidden=0"], "xj: error: parameter `hidden`: must be ≥ 1, got 0\n"),
        (["lr=fast"], "xj: error: parameter `lr`: must be a number, got \"fast\"\n"),
        (["epochs=-3"], "xj: error: parameter `epochs`: must be ≥ 1, got -3\n"),
        (["--data", "nosuch"], "xj: error: no dataset \"nosuch\" in the journal\n"),
        (["--data", "digitz"], "xj: error: no dataset \"digitz\" in the journal (did you mean \"digits\"?)\n"),
        (["--model", "linear", "dropout=0.2"], "xj: error: parameter `dropout`: applies to model=mlp only\n"),
    ] as [([String], String)])
    func badTrainingInput(_ arguments: [String], _ message: String) throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let data = arguments.contains("--data") ? [] : ["--data", "digits"]
            let result = try BuiltBinary.xj(["train"] + data + arguments, in: folder)
            #expect(result.status == 1)
            #expect(result.stderr == message)
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }
}
