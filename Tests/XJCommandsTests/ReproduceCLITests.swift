import Foundation
import Testing
import XJTestSupport

/// `xj reproduce` (issue 15 §5): the same machine gives bit-identical results, another thread count
/// says what changed, a program that reads the clock diverges, and a clone reproduces what it received.
@Suite struct ReproduceCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every experiment id `xj runs --all --json` lists.
    static func experiments(_ folder: String) throws -> [String] {
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["runs", "--all", "--json"], in: folder).stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { $0["experiment"] as? String }
    }

    /// Trains one small run with `environment` and commits it; returns its experiment id.
    static func trainOne(_ folder: String, environment: [String: String] = [:]) throws -> String {
        let train = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=16", "epochs=3", "seed=4", "--json"], in: folder, environment: environment)
        #expect(train.status == 0, "\(train.stderr)")
        _ = try BuiltBinary.xj(["commit", "-m", "one run"], in: folder)
        return try #require(try json(train.stdout)["id"] as? String)
    }

    @Test func theSameMachineReproducesBitForBitAndRecordsAReplicate() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let id = try Self.trainOne(folder)
            let shown = try Self.json(try BuiltBinary.xj(["show", id, "--json"], in: folder).stdout)
            let environment = try #require((shown["run"] as? [String: Any])?["environment"] as? [String: Any])
            #expect(environment["cpu"] is String && environment["os"] is String && environment["isa"] is [Any])
            let again = try BuiltBinary.xj(["reproduce", String(id.prefix(7))], in: folder)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.hasPrefix("reproduced \(id.prefix(7)) as ") && again.stdout.contains(": bit-identical (weights and "))
            let runs = try Self.experiments(folder)
            #expect(runs.count == 2)
            // The replicate says so in run.json.
            let replicate = try #require(runs.first { $0 != id })
            let run = try #require(try Self.json(try BuiltBinary.xj(["show", replicate, "--json"], in: folder).stdout)["run"] as? [String: Any])
            #expect((run["replicate_of"] as? [String]) == [id] && run["deterministic"] as? Bool == true)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test func anotherThreadCountIsNamedWhenItChangesTheResult() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let id = try Self.trainOne(folder, environment: ["OPENBLAS_NUM_THREADS": "2"])
            let again = try BuiltBinary.xj(["reproduce", id, "--tolerance", "1e-3", "--json"], in: folder, environment: ["OPENBLAS_NUM_THREADS": "1"])
            let result = try Self.json(again.stdout)
            let outcome = try #require(result["outcome"] as? String)
            let changes = try #require(result["environment_changes"] as? [String])
            // Summation order may or may not change with the thread count on this CPU's kernels; either way xj says which.
            #expect(changes.contains("blas.threads: 2 → 1"), "\(changes)")
            #expect(outcome == "bit-identical" || outcome == "identical within tolerance", "\(again.stdout)")
            #expect(again.status == 0)
        }
    }

    @Test func aProgramThatReadsTheClockDiverges() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let code = folder + "/code"
            try FileManager.default.createDirectory(atPath: code, withIntermediateDirectories: true)
            try writeFile(code, "clock.sh", "#!/bin/sh\necho \"{\\\"score\\\": 0.$(date +%N), \\\"fixed\\\": $(cat word.txt | wc -c)}\" > \"$XJ_OUTPUT/metrics.json\"\n")
            try writeFile(code, "word.txt", "hello\n")
            let run = try BuiltBinary.xj(["--journal", folder, "run", "--code", ".", "--", "sh", "clock.sh"], in: code)
            #expect(run.status == 0, "\(run.stderr)")
            _ = try BuiltBinary.xj(["commit", "-m", "clock"], in: folder)
            let id = try #require(try Self.experiments(folder).first)
            // Elsewhere, with the code only in the journal: the checkout is the working directory.
            try FileManager.default.removeItem(atPath: code)
            let again = try BuiltBinary.xj(["reproduce", id], in: folder)
            #expect(again.status == 1)
            #expect(again.stdout.contains(": diverged (1 of 2 beyond tolerance 0.0001)"), "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("    score ") && !again.stdout.contains("    fixed "))
            #expect(again.stdout.contains("environment: the same as recorded"))
        }
    }

    @Test func aCloneReproducesWhatItReceived() throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice"
            try FileManager.default.createDirectory(atPath: alice, withIntermediateDirectories: true)
            try makeDigitsJournal(in: alice)
            let id = try Self.trainOne(alice)
            _ = try BuiltBinary.xj(["remote", "add", "origin", folder + "/shared.git"], in: alice)
            #expect(try BuiltBinary.xj(["push"], in: alice).status == 0)
            #expect(try BuiltBinary.xj(["clone", "file://" + folder + "/shared.git", "bob"], in: folder).status == 0)
            let again = try BuiltBinary.xj(["reproduce", id, "--json"], in: folder + "/bob")
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try Self.json(again.stdout)["outcome"] as? String == "bit-identical")
        }
    }

    @Test func badTargetsAreRefusedInOneLineAndChangeNothing() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let before = try snapshot(of: folder + "/.journal")
            for (arguments, message) in [(["reproduce", "digits"], "xj: error: `digits` is not an experiment (xj reproduce takes an experiment id)\n"),
                                         (["reproduce", "0000000"], nil), (["reproduce", "HEAD", "--tolerance=-1"], nil)] {
                let refused = try BuiltBinary.xj(arguments, in: folder)
                #expect(refused.status != 0 && refused.stderr.hasPrefix("xj: error: ") && refused.stderr.split(separator: "\n").count <= 3, "\(arguments): \(refused.stderr)")
                if let message { #expect(refused.stderr == message) }
            }
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }
}
