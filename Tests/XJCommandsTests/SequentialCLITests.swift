import Foundation
import Testing
import XJTestSupport

/// Verdicts with the reviewer's statistics, sequential hypotheses and `xj grid --until-decided`
/// (issue 15 §2–4), as a user runs them.
@Suite struct SequentialCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func untilDecidedAddsSeedsUntilTheSequentialTestCanStop() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let new = try BuiltBinary.xj(["hypothesis", "new", "wide", "A wider layer fits digits better", "--sequential",
                                          "--predict", "mean(val_accuracy | hidden=64) > mean(val_accuracy | hidden=2)"], in: folder)
            #expect(new.status == 0, "\(new.stderr)")
            let sweep = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "epochs=3",
                                            "--until-decided", "--batch", "2", "--max-seeds", "12", "--json"], in: folder)
            #expect(sweep.status == 0, "\(sweep.stderr)")
            let result = try Self.json(sweep.stdout)
            #expect(result["decided"] as? Bool == true)
            let batches = try #require(result["batches"] as? [[String: Any]])
            let seeds = try #require(result["seeds"] as? Int)
            // Decided as soon as the e-value crossed 1/α: every batch before the last said keep going.
            #expect(batches.dropLast().allSatisfy { $0["status"] as? String == "open" } && batches.last?["status"] as? String == "supported")
            #expect(seeds == batches.count * 2 && seeds < 12)
            // One commit per batch for the experiments and one per verdict; each seed ran once per arm.
            let verdict = try Self.json(try BuiltBinary.xj(["verdict", "--json", "--dry-run"], in: folder).stdout)
            #expect(verdict["experiments"] as? Int == 2 * seeds)
            #expect((verdict["looks"] as? [Int])?.count == batches.count + 1)
            #expect(verdict["warning"] == nil && verdict["sequential"] as? Bool == true)
            let prediction = try #require((verdict["predictions"] as? [[String: Any]])?.first)
            let sequential = try #require(prediction["sequential"] as? [String: Any])
            #expect((sequential["e_value"] as? Double ?? 0) >= 20 && sequential["decision"] as? String == "can stop: supported")
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
            // Run again: nothing new is trained; the journal already decided.
            let again = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "epochs=3", "--until-decided", "--max-seeds", "12"], in: folder)
            #expect(again.status == 0 && again.stdout.contains("seeds 1–2: 0 trained"), "\(again.stdout)")
        }
    }

    @Test func untilDecidedRefusesWhatItCannotJudgeHonestly() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let onMain = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "--until-decided"], in: folder)
            #expect(onMain.status == 1 && onMain.stderr == "xj: error: parameter `--until-decided`: main states no hypothesis; switch to a hypothesis/… line stated with --sequential\n")
            _ = try BuiltBinary.xj(["hypothesis", "new", "fixed", "not sequential", "--predict", "mean(val_loss | hidden=64) < mean(val_loss | hidden=2)"], in: folder)
            let snapshotAfterHypothesis = try snapshot(of: folder + "/.journal")
            let fixed = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "--until-decided"], in: folder)
            #expect(fixed.status == 1 && fixed.stderr.contains("was not stated with --sequential"))
            let seeds = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "seed=1..3", "--until-decided"], in: folder)
            #expect(seeds.status == 1 && seeds.stderr.contains("drop `seed=1..3`"))
            for arguments in [["--batch", "0"], ["--max-seeds", "1"], ["--random", "3"]] {
                let refused = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "--until-decided"] + arguments, in: folder)
                #expect(refused.status == 64 && refused.stderr.hasPrefix("xj: error: "), "\(arguments)")
            }
            let stray = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2", "--max-seeds", "5"], in: folder)
            #expect(stray.status == 64 && stray.stderr.hasPrefix("xj: error: --max-seeds applies only with --until-decided"))
            #expect(try snapshot(of: folder + "/.journal") == snapshotAfterHypothesis)
        }
    }

    @Test func verdictShowsTheReviewersNumbersAndWarnsOnRepeatedLooks() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["hypothesis", "new", "wide", "wider is better",
                                    "--predict", "mean(val_loss | hidden=64) < mean(val_loss | hidden=2)",
                                    "--predict", "prob(val_loss | hidden=64 < hidden=2) > 0.75"], in: folder)
            _ = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "seed=1..5", "epochs=3"], in: folder)
            let first = try BuiltBinary.xj(["verdict"], in: folder)
            #expect(first.status == 0, "\(first.stderr)")
            let text = first.stdout
            for expected in ["groups: left mean", "95% intervals on left − right: t [", "; BCa bootstrap [", "d_z = ", "P(left < right) = 1 (95% [",
                             "Holm over 2 predictions: adjusted p = ", "paired t-test (paired by seed)", "P(left < right) = 1 (n=5 + 5)   compared with 0.75",
                             "bootstrap test of P(A < B)"] {
                #expect(text.contains(expected), "missing \(expected) in\n\(text)")
            }
            #expect(!text.contains("warning:"))
            let unpaired = try BuiltBinary.xj(["verdict", "--unpaired", "--dry-run", "--json"], in: folder)
            let prediction = try #require((try Self.json(unpaired.stdout)["predictions"] as? [[String: Any]])?.first)
            #expect(prediction["test"] as? String == "Welch t-test" && prediction["paired"] == nil && prediction["hedges_g"] is Double)
            #expect(prediction["ci_t"] is [String: Any] && prediction["ci_bootstrap"] is [String: Any] && prediction["power"] is Double)
            // Two more seeds, then judge again: the second look is counted and warned about.
            _ = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=2,64", "seed=6..7", "epochs=3"], in: folder)
            let second = try BuiltBinary.xj(["verdict"], in: folder)
            #expect(second.stdout.contains("warning: look 2 at this hypothesis (earlier verdicts on 10 experiments): re-judging as runs are added inflates false positives"))
        }
    }
}
