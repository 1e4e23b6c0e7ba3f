import Foundation
import Testing
import XJTestSupport

/// Hypotheses, verdicts and experiment diffs, as a user runs them.
@Suite struct HypothesisCLITests {
    @Test func stateRunJudgeAndRecord() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let new = try BuiltBinary.xj(["hypothesis", "new", "wider-helps", "A wider hidden layer fits digits better",
                                          "--predict", "mean(val_accuracy | hidden=64) > mean(val_accuracy | hidden=4)",
                                          "--predict", "mean(val_loss | hidden=64) < 0.01"], in: folder)
            #expect(new.status == 0, "\(new.stderr)")
            #expect(try BuiltBinary.xj(["status", "--json"], in: folder).stdout.contains("\"branch\": \"hypothesis/wider-helps\""))
            let open = try BuiltBinary.xj(["branch"], in: folder)
            #expect(open.stdout.contains("* hypothesis/wider-helps  open"))

            let grid = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=4,64", "seed=1..3", "epochs=8"], in: folder)
            #expect(grid.status == 0, "\(grid.stderr)")
            let verdict = try BuiltBinary.xj(["verdict", "--json"], in: folder)
            #expect(verdict.status == 0, "\(verdict.stderr)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(verdict.stdout.utf8)) as? [String: Any])
            let predictions = try #require(result["predictions"] as? [[String: Any]])
            #expect(predictions.map { $0["status"] as? String } == ["supported", "falsified"])
            #expect(predictions[0]["n_left"] as? Int == 3 && predictions[0]["n_right"] as? Int == 3)
            #expect(predictions[0]["p"] is Double && predictions[0]["p_opposite"] is Double && predictions[0]["df"] is Double)
            let bound = try #require(predictions[0]["bound"] as? [String: Any])
            // A supported ">" prediction: the one-sided lower bound on left − right lies above the margin (0).
            #expect(bound["side"] as? String == "lower" && (bound["value"] as? Double ?? -1) > 0 && bound["level"] as? Double == 0.95)
            #expect(result["status"] as? String == "mixed")

            let log = try BuiltBinary.xj(["log", "-n", "1"], in: folder)
            #expect(log.stdout.contains("[hypothesis mixed]") && log.stdout.contains("verdict on wider-helps: mixed (1 supported, 1 falsified, 0 inconclusive)"))
            #expect(try BuiltBinary.xj(["branch"], in: folder).stdout.contains("* hypothesis/wider-helps  mixed"))
            let shown = try BuiltBinary.git(["--git-dir", ".journal", "show", "hypothesis/wider-helps:verdict.json"], in: folder)
            #expect(shown.stdout.contains("\"status\":\"mixed\""))

            let diff = try BuiltBinary.xj(["diff", "main", "hypothesis/wider-helps", "--json"], in: folder)
            let changes = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
            #expect((changes["experiments_added"] as? [Any])?.count == 6)
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["runs", "--all", "--json"], in: folder).stdout.utf8)) as? [[String: Any]])
            let ids = runs.compactMap { ($0["experiment"] as? String).map { String($0.prefix(9)) } }
            let pair = try BuiltBinary.xj(["diff", ids[0], ids[1]], in: folder)
            #expect(pair.stdout.hasPrefix("diff experiment"))
            #expect(pair.stdout.contains("dataset: the same") && pair.stdout.contains("val_loss by epoch"))
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    /// Issue 13 §2: the Guide's study judged a group that pooled runs at another lr (some diverged) and
    /// printed the opposite verdict. Now the pooled prediction is AMBIGUOUS and says what differs.
    @Test func pooledGroupsMakeThePredictionAmbiguous() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            #expect(try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=16", "lr=0.01", "dropout=0", "seed=1..2", "epochs=2"], in: folder).status == 0)
            let typo = try BuiltBinary.xj(["hypothesis", "new", "h", "s", "--predict", "mean(val_acuracy | dropout=0.5) > 0.9"], in: folder)
            #expect(typo.status != 0)
            #expect(typo.stderr == "xj: error: prediction \"mean(val_acuracy | dropout=0.5) > 0.9\": neither xj train nor any experiment here records the metric `val_acuracy`; did you mean `val_accuracy`?\n")
            let new = try BuiltBinary.xj(["hypothesis", "new", "dropout-helps", "s",
                                          "--predict", "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"], in: folder)
            #expect(new.status == 0, "\(new.stderr)")
            #expect(try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=16", "dropout=0,0.5", "seed=1..2", "epochs=2"], in: folder).status == 0)
            let verdict = try BuiltBinary.xj(["verdict", "--dry-run"], in: folder)
            #expect(verdict.stdout.contains("AMBIGUOUS"), "\(verdict.stdout)")
            #expect(verdict.stdout.contains("group `mean(val_loss | dropout=0)` pools 4 experiments that differ in lr (0.001, 0.01)"))
            let pinned = try BuiltBinary.xj(["verdict", "--dry-run", "--pool", "--json"], in: folder)
            #expect(!pinned.stdout.contains("\"ambiguous\""))
        }
    }

    @Test func badHypothesisInput() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["commit", "--allow-empty", "-m", "start"], in: folder)
            let noHypothesis = try BuiltBinary.xj(["verdict"], in: folder)
            #expect(noHypothesis.status == 1)
            #expect(noHypothesis.stderr.hasPrefix("xj: error: the line of inquiry main states no hypothesis"))
            let badName = try BuiltBinary.xj(["hypothesis", "new", "bad..name", "x", "--predict", "mean(val_loss) < 1"], in: folder)
            #expect(badName.stderr == "xj: error: hypothesis name \"bad..name\" is not a valid git branch name\n")
            let before = try snapshot(of: folder + "/.journal")
            let syntax = try BuiltBinary.xj(["hypothesis", "new", "ok", "x", "--predict", "mean(val_loss | dropout=0.5 < 3"], in: folder)
            #expect(syntax.status == 1)
            #expect(syntax.stderr == "xj: error: prediction \"mean(val_loss | dropout=0.5 < 3\", column 32 (at the end): expected `)` to close `mean(`\n")
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }
}
