import Foundation
import Testing
import XJTestSupport

/// Tags and notes (issue 16 §2), getting files out (§3), stored parameter sets (§4) and completion (§7).
@Suite struct AnnotationCLITests {
    /// digits and two trained experiments on main; returns their ids.
    static func twoExperiments(_ folder: String) throws -> [String] {
        try makeDigitsJournal(in: folder)
        _ = try BuiltBinary.xj(["grid", "--data", "digits", "hidden=8", "epochs=2", "seed=1,2"], in: folder)
        return try ExperimentTableCLITests.rows(folder, ["--sort", "seed"]).compactMap { $0["experiment"] as? String }
    }

    static func tags(_ folder: String, _ experiment: String) throws -> [String] {
        let rows = try ExperimentTableCLITests.rows(folder, ["--all", String(experiment.prefix(10))])
        return rows.first?["tags"] as? [String] ?? []
    }

    @Test func tagsAndNotesAreCommittedSelectableAndTravelWithoutConflict() throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice"
            try FileManager.default.createDirectory(atPath: alice, withIntermediateDirectories: true)
            let ids = try Self.twoExperiments(alice)
            #expect(ids.count == 2)
            let tagged = try BuiltBinary.xj(["tag", String(ids[0].prefix(7)), "best", "baseline"], in: alice)
            #expect(tagged.status == 0 && tagged.stdout.contains("baseline, best"), "\(tagged.stderr)")
            #expect(try Self.tags(alice, ids[0]) == ["baseline", "best"])
            _ = try BuiltBinary.xj(["tag", "-d", String(ids[0].prefix(7)), "baseline"], in: alice)
            #expect(try Self.tags(alice, ids[0]) == ["best"])
            #expect(try BuiltBinary.xj(["tag", String(ids[0].prefix(7)), "best"], in: alice).stdout.contains("Nothing changed"))
            let selected = try ExperimentTableCLITests.rows(alice, ["--where", "tag = best"])
            #expect(selected.compactMap { $0["experiment"] as? String } == [ids[0]])
            #expect(try BuiltBinary.xj(["runs"], in: alice).stdout.split(separator: "\n")[0].hasSuffix("tags"))

            #expect(try BuiltBinary.xj(["note", String(ids[1].prefix(7)), "seed 2: the slower start"], in: alice).status == 0)
            #expect(try BuiltBinary.xj(["note", String(ids[1].prefix(7))], in: alice).stdout == "seed 2: the slower start\n")
            #expect(try ExperimentTableCLITests.rows(alice, ["--where", "note = 'seed 2: the slower start'"]).count == 1)
            let log = try BuiltBinary.xj(["log", "-n", "1"], in: alice).stdout
            #expect(log.contains("note on \(ids[1].prefix(7))") && log.contains("+note \(ids[1].prefix(7))"))

            // Refusals change nothing.
            let before = try snapshot(of: alice + "/.journal")
            for (arguments, expected) in [(["tag", String(ids[0].prefix(7)), "../x"], "contains a slash"),
                                          (["tag", "abc1", "best"], "no recorded experiment"),
                                          (["tag", "ab", "best"], "at least 4 hex digits"),
                                          (["tag", "-d", String(ids[0].prefix(7))], "-d needs the tags"),
                                          (["note", String(ids[0].prefix(7)), "  "], "the note is empty")] {
                let result = try BuiltBinary.xj(arguments, in: alice)
                #expect(result.status != 0 && result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            }
            #expect(try snapshot(of: alice + "/.journal") == before)

            // Push to a bare remote; bob clones; both tag the same experiment at once; pulls merge without conflict.
            let remote = folder + "/remote.git"
            _ = try BuiltBinary.git(["init", "--bare", "-q", remote], in: folder)
            _ = try BuiltBinary.xj(["remote", "add", "origin", remote], in: alice)
            #expect(try BuiltBinary.xj(["push"], in: alice).status == 0)
            let clone = try BuiltBinary.xj(["clone", remote, folder + "/bob"], in: folder)
            #expect(clone.status == 0, "\(clone.stderr)")
            let bob = folder + "/bob"
            #expect(try Self.tags(bob, ids[0]) == ["best"], "tags travel")
            _ = try BuiltBinary.xj(["tag", String(ids[0].prefix(7)), "checked-by-bob"], in: bob)
            _ = try BuiltBinary.xj(["tag", String(ids[0].prefix(7)), "checked-by-alice"], in: alice)
            #expect(try BuiltBinary.xj(["push"], in: bob).status == 0)
            let pulled = try BuiltBinary.xj(["pull"], in: alice)
            #expect(pulled.status == 0, "\(pulled.stderr)")
            #expect(try Self.tags(alice, ids[0]) == ["best", "checked-by-alice", "checked-by-bob"])
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: alice).status == 0)
            #expect(try BuiltBinary.xj(["fsck"], in: alice).status == 0)
        }
    }

    @Test func aPredictionSelectsByTag() throws {
        try withScratchDirectory { folder in
            let ids = try Self.twoExperiments(folder)
            _ = try BuiltBinary.xj(["hypothesis", "new", "tagged", "Tagged runs are fine", "--predict", "mean(val_loss | tag=chosen) < 100"], in: folder)
            func taggedCount() throws -> Int? {
                let verdict = try BuiltBinary.xj(["verdict", "--json"], in: folder)
                let object = try JSONSerialization.jsonObject(with: Data(verdict.stdout.utf8)) as? [String: Any]
                return ((object?["predictions"] as? [[String: Any]])?.first?["n_left"] as? Int)
            }
            _ = try BuiltBinary.xj(["tag", String(ids[0].prefix(8)), "chosen"], in: folder)
            #expect(try taggedCount() == 1)
            _ = try BuiltBinary.xj(["tag", String(ids[1].prefix(8)), "chosen"], in: folder)
            #expect(try taggedCount() == 2)
            let typo = try BuiltBinary.xj(["hypothesis", "new", "typo", "x", "--predict", "mean(val_loss | tagg=chosen) < 100"], in: folder)
            #expect(typo.status != 0 && typo.stderr.contains("tag"), "\(typo.stderr)")
        }
    }

    @Test func catAndExportGiveTheStoredBytesAndNeverWriteThroughALink() throws {
        try withScratchDirectory { folder in
            let ids = try Self.twoExperiments(folder)
            let short = String(ids[0].prefix(8))
            let stored = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "blob", ids[0] + ":results/metrics.json"], in: folder).stdout
            #expect(try BuiltBinary.xj(["cat", short, "results/metrics.json"], in: folder).stdout == stored)
            let weights = try BuiltBinary.run("/bin/sh", ["-c", "\(BuiltBinary.xjPath) cat \(short) results/weights.npy | sha1sum"], in: folder).stdout
            let gitWeights = try BuiltBinary.run("/bin/sh", ["-c", "git --git-dir=.journal cat-file blob \(ids[0]):results/weights.npy | sha1sum"], in: folder).stdout
            #expect(weights == gitWeights && weights.count > 40)
            let typo = try BuiltBinary.xj(["cat", short, "results/metrcs.json"], in: folder)
            #expect(typo.status != 0 && typo.stderr.contains("did you mean \"results/metrics.json\"?"))
            #expect(try BuiltBinary.xj(["cat", short, "results"], in: folder).stderr.contains("is a folder"))

            let out = folder + "/out"
            let export = try BuiltBinary.xj(["export", short, "-o", out], in: folder)
            #expect(export.status == 0, "\(export.stderr)")
            for file in ["run.json", "inputs/params.json", "results/metrics.json", "results/weights.npy", "results/curves.json", "inputs/dataset/manifest.json"] {
                #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
            }
            #expect(!FileManager.default.fileExists(atPath: out + "/inputs/dataset/data.csv"), "the dataset's data is not copied by default")
            #expect(try String(contentsOfFile: out + "/results/metrics.json", encoding: .utf8) == stored)
            let again = try BuiltBinary.xj(["export", short, "-o", out], in: folder)
            #expect(again.status != 0 && again.stderr.contains("exists already; --force overwrites it"))
            #expect(try BuiltBinary.xj(["export", short, "results/metrics.json", "-o", out, "--force"], in: folder).status == 0)

            // A link planted where a file would go is refused, and the file it points at is untouched.
            let other = folder + "/other"
            try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
            try writeFile(folder, "precious.txt", "keep me")
            try FileManager.default.createSymbolicLink(atPath: other + "/run.json", withDestinationPath: folder + "/precious.txt")
            let linked = try BuiltBinary.xj(["export", short, "run.json", "-o", other, "--force"], in: folder)
            #expect(linked.status != 0 && linked.stderr.contains("symbolic link"))
            #expect(try String(contentsOfFile: folder + "/precious.txt", encoding: .utf8) == "keep me")
        }
    }

    @Test func aStoredParameterSetIsUsedAndOverridden() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["add", "--name", "small", "hidden=8", "epochs=2", "lr=0.05"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "params"], in: folder)
            let stored = try BuiltBinary.xj(["train", "--data", "digits", "--params", "small", "seed=3", "--json"], in: folder)
            #expect(stored.status == 0, "\(stored.stderr)")
            let spelled = try BuiltBinary.xj(["train", "--data", "digits", "hidden=8", "epochs=2", "lr=0.05", "seed=3", "--json"], in: folder)
            #expect(spelled.stdout.contains("already_run") || spelled.stdout.contains("already run"), "the same inputs: \(spelled.stdout)")
            let override = try BuiltBinary.xj(["check", "--data", "digits", "--params", "small", "lr=0.01", "--json"], in: folder)
            #expect(override.status == 0 || override.status == 1)
            let plan = try BuiltBinary.xj(["grid", "--data", "digits", "--params", "small", "seed=3,4", "lr=0.05", "--dry-run", "--json"], in: folder)
            #expect(plan.status == 0, "\(plan.stderr)")
            let points = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [[String: Any]])
            #expect(points.count == 2 && points.filter { $0["status"] as? String == "already_run" }.count == 1, "\(plan.stdout)")
            let unknown = try BuiltBinary.xj(["train", "--data", "digits", "--params", "smal"], in: folder)
            #expect(unknown.status != 0 && unknown.stderr.contains("did you mean \"small\"?"))
        }
    }

    @Test func shellCompletionOffersTheJournalsNames() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            _ = try BuiltBinary.xj(["branch", "dropout-study"], in: folder)
            let script = try BuiltBinary.xj(["--generate-completion-script", "bash"], in: folder)
            #expect(script.status == 0 && script.stdout.contains("---completion train -- --data"))
            #expect(try BuiltBinary.xj(["---completion", "train", "--", "--data", "3", "0", "di"], in: folder).stdout == "digits\n")
            #expect(try BuiltBinary.xj(["---completion", "switch", "--", "positional@0", "2", "0", ""], in: folder).stdout == "dropout-study\nmain\n")
        }
    }
}
