import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import Lab
import JournalStore

/// The report links each experiment to the commit that first recorded it. Found by comparing only the
/// folders on the experiments' paths, the answer is the one the full list of every commit's changes
/// gives, through a second line of inquiry merged back.
@Suite struct FirstRecordingsTests {
    @Test func theCommitThatFirstRecordedEachExperimentIsTheOneItsChangesName() throws {
        try withScratchJournal { journal, folder in
            try addSmallDataset(journal, folder: folder, rows: 30)
            let runner = TrainingRunner(journal: journal)
            var seed = 0
            func train(_ count: Int) throws {
                for _ in 0..<count {
                    seed += 1
                    _ = try runner.train(TrainRequest(dataset: "small", model: "linear", parameters: ["epochs": 1, "seed": .number(Double(seed))]))
                }
            }
            try train(2)
            _ = try journal.commit(message: "first two")
            try train(2)
            _ = try journal.commit(message: "two more")
            _ = try journal.createBranch("side")
            try journal.switchBranch(to: "side")
            try train(2)
            let side = try journal.commit(message: "two on the side")
            try journal.switchBranch(to: "main")
            try train(1)
            _ = try journal.commit(message: "one more on main")
            let merged = try #require(try journal.mergeIntoLine([side.commit.id], message: "the side line", fastForward: false))
            let tip = try journal.repository.commit(merged.tip)
            let experiments = try journal.experiments(in: tip.tree, parts: [])
            #expect(experiments.count == 7)

            let history = try journal.repository.history(from: [tip.id], limit: nil)
            var expected: [TreeID: CommitID] = [:]
            for commit in history.reversed() {
                for change in try journal.record(commit, detailed: true).changes
                where change.kind == .added && change.record.category == JournalLayout.experiments {
                    let id = TreeID(change.record.id)
                    if expected[id] == nil { expected[id] = commit }
                }
            }
            #expect(expected.count == 7)
            #expect(Set(expected.values).count == 4, "four commits recorded experiments; the merge none first")
            #expect(!expected.values.contains(merged.tip))
            let found = try journal.firstRecordings(of: experiments.map { (runKey: $0.runKey, experiment: $0.id) }, history: history)
            #expect(found == expected)
            // Asked for a few, or with part of the history, the answer is the same for those.
            let few = Array(experiments.suffix(3))
            #expect(try journal.firstRecordings(of: few.map { (runKey: $0.runKey, experiment: $0.id) }, history: history)
                == expected.filter { id, _ in few.contains { $0.id == id } })
            #expect(try journal.firstRecordings(of: experiments.map { (runKey: $0.runKey, experiment: $0.id) }, history: []).isEmpty)
        }
    }
}
