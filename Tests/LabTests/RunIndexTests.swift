import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import Lab

@Suite struct RunIndexTests {
    let small: [String: JSONValue] = ["hidden": 16, "epochs": 2, "seed": 1]

    @Test func runKeyIgnoresOrderSpellingAndFileNameButNotContent() throws {
        try withScratchJournal { journal, folder in
            let text = "x,z,y\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n"
            _ = try journal.addDataset(file: try writeFile(folder, "first.csv", text), name: "a", label: "y")
            _ = try journal.addDataset(file: try writeFile(folder, "second-name.csv", text), name: "b", label: "y")
            _ = try journal.addDataset(file: try writeFile(folder, "c.csv", text.replacingOccurrences(of: "4,1,1", with: "4,1,0")), name: "c", label: "y")
            let runner = TrainingRunner(journal: journal)
            func key(_ dataset: String, _ parameters: [String: JSONValue], runner: TrainingRunner? = nil) throws -> TreeID {
                try (runner ?? TrainingRunner(journal: journal)).prepare(TrainRequest(dataset: dataset, model: "mlp", parameters: parameters)).3
            }
            let base = try key("a", ["lr": 0.01, "hidden": 64])
            #expect(try key("b", ["hidden": [64.0], "lr": 1e-2]) == base, "same bytes under another file name and spelling")
            #expect(try key("c", ["lr": 0.01, "hidden": 64]) != base, "one data byte differs")
            #expect(try key("a", ["lr": 0.01, "hidden": 65]) != base, "one parameter differs")
            #expect(try key("a", ["lr": 0.01, "hidden": 64, "activation": "tanh"]) != base, "the model spec differs")
            let newer = TrainingRunner(journal: journal, trainer: ["name": "xj-train", "version": 2])
            #expect(try key("a", ["lr": 0.01, "hidden": 64], runner: newer) != base, "the trainer version differs")
            _ = runner
        }
    }

    @Test func detectsRunsOnTheStageAndOnOtherBranches() throws {
        try withScratchJournal { journal, _ in
            _ = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            _ = try journal.commit(message: "data")
            _ = try journal.createBranch("other")
            let runner = TrainingRunner(journal: journal)
            let request = TrainRequest(dataset: "digits", model: "mlp", parameters: small)
            guard case let .trained(record, _, _) = try runner.train(request) else { Issue.record("not trained"); return }
            guard case let .alreadyRun(staged) = try runner.train(request) else { Issue.record("staged run not seen"); return }
            #expect(staged.map(\.experiment) == [record.id.object])
            #expect(staged[0].references == [JournalLayout.stageReference("main")])
            _ = try journal.commit(message: "one run")
            try journal.switchBranch(to: "other")
            guard case let .alreadyRun(elsewhere) = try runner.train(request) else { Issue.record("run on main not seen from other"); return }
            #expect(elsewhere[0].references == ["refs/heads/main"])
            #expect(elsewhere[0].validationScore == record.metrics["val_accuracy"]?.numberValue)
        }
    }

    @Test func rebuildsWhenCorruptAndFollowsRefsIncrementally() throws {
        try withScratchJournal { journal, _ in
            _ = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            let runner = TrainingRunner(journal: journal)
            for seed in 1...3 { _ = try runner.train(TrainRequest(dataset: "digits", model: "linear", parameters: ["epochs": 1, "seed": .number(Double(seed))])) }
            _ = try journal.commit(message: "three")
            let index = RunIndex(journal: journal)
            let entries = try index.allEntries()
            #expect(entries.count == 3)
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: journal.path + "/xj/runindex"))
            #expect(try index.allEntries() == entries)
            unlink(journal.path + "/xj/runindex")
            #expect(try index.experiments(runKey: entries[1].runKey).map(\.experiment) == [entries[1].experiment])
            // A new branch at the same commit: the same experiments, now on both refs.
            _ = try journal.createBranch("copy")
            #expect(try index.allEntries().allSatisfy { $0.references == ["refs/heads/copy", "refs/heads/main"] })
        }
    }

    /// However the refs moved, the incrementally updated index equals one rebuilt from the objects.
    @Test func incrementalUpdatesEqualARebuild() throws {
        try withScratchJournal { journal, _ in
            _ = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            let runner = TrainingRunner(journal: journal)
            let index = RunIndex(journal: journal)
            func train(_ seed: Int) throws { _ = try runner.train(TrainRequest(dataset: "digits", model: "linear", parameters: ["epochs": 1, "seed": .number(Double(seed))])) }
            func check() throws {
                let incremental = try index.allEntries()
                let rebuilt = try RunIndex(journal: journal).rebuild().entries
                #expect(incremental == rebuilt)
            }
            try train(1)
            try check()
            _ = try journal.commit(message: "one")
            try check()
            _ = try journal.createBranch("side")
            try check()
            try journal.switchBranch(to: "side")
            try train(2)
            try check()
            _ = try journal.commit(message: "two on side")
            try check()
            try journal.switchBranch(to: "main")
            try train(3)
            try check()
            let all = try index.allEntries()
            #expect(all.count == 3)
            #expect(all.first { $0.references == ["refs/heads/main", "refs/heads/side"] } != nil)
            #expect(all.contains { $0.references == [JournalLayout.stageReference("main")] })
        }
    }

    /// Updates go to the small delta file, which is folded into the base past its threshold; whatever
    /// the delta holds (changed records, removals, new refs), reading through it equals a rebuild, and a
    /// damaged delta or one left from an older base is ignored, never trusted.
    @Test func deltaUpdatesFoldAndSurviveDamage() throws {
        try withScratchJournal { journal, _ in
            _ = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            _ = try journal.commit(message: "data")
            let runner = TrainingRunner(journal: journal)
            let index = RunIndex(journal: journal)
            index.deltaFoldMinimum = 3
            let base = journal.path + "/xj/runindex", delta = base + ".delta"
            func train(_ seed: Int) throws { _ = try runner.train(TrainRequest(dataset: "digits", model: "linear", parameters: ["epochs": 1, "seed": .number(Double(seed))])) }
            func check(_ what: String) throws {
                let incremental = try index.allEntries()
                let fresh = try RunIndex(journal: journal).allEntries()
                let rebuilt = try RunIndex(journal: journal).rebuild().entries
                #expect(incremental == rebuilt, "\(what): the updated index equals a rebuild")
                #expect(fresh == rebuilt, "\(what): a new reader of the two files equals a rebuild")
            }
            try train(1)
            _ = try journal.commit(message: "one")
            try check("first commit")
            let baseBytes = try Data(contentsOf: URL(fileURLWithPath: base))
            try train(2)
            _ = try index.allEntries()
            #expect(FileManager.default.fileExists(atPath: delta), "one new run goes to the delta")
            #expect(try Data(contentsOf: URL(fileURLWithPath: base)) == baseBytes, "the base is not rewritten for one run")
            try check("staged run in the delta")
            _ = try journal.createBranch("side")
            try check("a new ref maps the base's bits")
            try journal.switchBranch(to: "side")
            try train(3)
            _ = try journal.commit(message: "three on side")
            try check("commit on side")
            try journal.switchBranch(to: "main")
            try journal.deleteBranch("side", force: true)
            try check("a removed ref")
            for seed in 4...8 { try train(seed) }
            _ = try index.allEntries()
            #expect(try Data(contentsOf: URL(fileURLWithPath: base)) != baseBytes, "past the threshold the delta is folded into a new base")
            try check("after a fold")

            // A damaged delta, or one that belongs to another base, is ignored: the base's refs are
            // older, so the reader updates from there.
            try train(9)
            _ = try index.allEntries()
            let goodDelta = try Data(contentsOf: URL(fileURLWithPath: delta))
            var torn = goodDelta
            torn.removeLast(5)
            try torn.write(to: URL(fileURLWithPath: delta))
            try check("a torn delta")
            try train(10)
            _ = try index.allEntries()
            var foreign = try Data(contentsOf: URL(fileURLWithPath: delta))
            foreign[8] ^= 0xff
            try foreign.write(to: URL(fileURLWithPath: delta))
            let entries = try RunIndex(journal: journal).allEntries()
            #expect(entries.count == 9, "seed 3 went with the deleted branch")
            #expect(entries.filter { $0.references == [JournalLayout.stageReference("main")] }.count == 8)
        }
    }
}

