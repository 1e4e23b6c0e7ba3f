import Foundation
import Testing
import XJTestSupport

/// `xj check`, `xj train --strict`, and the findings in show, log and diff.
@Suite struct ChecksCLITests {
    @Test func checkReportsWithoutTrainingAndExitsNonZeroOnFailure() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let clean = try BuiltBinary.xj(["check", "--data", "digits", "--model", "mlp", "hidden=32", "--json"], in: folder)
            #expect(clean.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.count == 18, "every before-training and model check")
            #expect(checks.first { $0["code"] as? String == "K301" }?["status"] as? String == "warn", "digits has constant pixel columns")

            let bad = try BuiltBinary.xj(["check", "--data", "digits", "--model", "mlp", "normalize=none"], in: folder)
            #expect(bad.status == 1)
            #expect(bad.stdout.contains("fail  K303"))
            #expect(bad.stdout.contains("`pixel_"))
            #expect(try snapshot(of: folder + "/.journal") == before, "checking writes nothing")
        }
    }

    @Test func strictRefusesAndTheJournalIsUnchanged() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let refused = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "normalize=none", "epochs=2", "--strict"], in: folder)
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("xj: error: --strict: 2 checks failed, nothing trained: K204"))
            #expect(refused.stderr.contains("K303 data not normalised"))
            #expect(refused.stderr.split(separator: "\n").count == 1)
            #expect(try snapshot(of: folder + "/.journal") == before)
            let allowed = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=2", "--strict"], in: folder)
            #expect(allowed.status == 0)
        }
    }

    @Test func findingsAreRecordedAndShown() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let first = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=3", "--json"], in: folder)
            let firstID = try #require((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["id"] as? String)
            let second = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=3", "batch_size=50", "--json"], in: folder)
            let secondID = try #require((try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])?["id"] as? String)
            // The file in the experiment tree holds all 21 findings, the during-training ones included.
            let blob = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-p", "\(firstID):results/checks.json"], in: folder)
            let file = try #require(try JSONSerialization.jsonObject(with: Data(blob.stdout.utf8)) as? [String: Any])
            let codes = try #require(file["checks"] as? [[String: Any]]).compactMap { $0["code"] as? String }
            #expect(codes.count == 21 && codes.contains("K502") && codes.contains("K505"))

            let show = try BuiltBinary.xj(["show", secondID], in: folder)
            #expect(show.stdout.contains("checks    "))
            #expect(show.stdout.contains("warn K101 batch size not a power of two: batch size 50"))
            let commit = try BuiltBinary.xj(["commit", "-m", "two runs"], in: folder)
            #expect(commit.stdout.contains("(checks: warn K101"))
            let log = try BuiltBinary.xj(["log", "-n", "1"], in: folder)
            #expect(log.stdout.contains("+2 experiments (checks: warn K101"))
            let diff = try BuiltBinary.xj(["diff", firstID, secondID], in: folder)
            #expect(diff.stdout.contains("K101") && diff.stdout.contains("pass") && diff.stdout.contains("warn"))
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }
}
