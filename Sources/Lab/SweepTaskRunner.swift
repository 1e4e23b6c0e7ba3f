import Foundation
import Journal

/// One task of a cluster sweep, in a clone of the shared remote (`origin`): it picks up what an
/// earlier run of the same task pushed, trains its shard's points that nothing on the remote has
/// recorded, and after every batch commits them and moves its own task ref on the remote by
/// compare-and-swap. A task killed at any moment has lost at most the batch it was training, and
/// the remote shows either the old or the new ref, never half a push.
public struct SweepTaskRunner {
    public let journal: LabJournal
    public let remote: String
    public let sweep: String
    public let shard: GridShard

    public init(journal: LabJournal, remote: String = "origin", sweep: String, shard: GridShard) {
        self.journal = journal
        self.remote = remote
        self.sweep = sweep
        self.shard = shard
    }

    /// What the task found and did.
    public struct Outcome: Sendable {
        /// The points of this task's shard.
        public var shardPoints: Int = 0
        /// Of those, recorded on the remote before this run (by any task, or on the line).
        public var alreadyRecorded: Int = 0
        public var trained: Int = 0
        public var pushes: Int = 0
    }

    /// Runs the task. `report` is told after each pushed batch (points trained so far, points to train).
    public func run(dataset: String, validation: String?, model: String, points planned: [[String: JSONValue]], jobs: Int,
                    report: ((Int, Int) -> Void)? = nil) throws -> Outcome {
        var pushed = try NetworkRetry.run { try journal.fetchSweeps(remote: remote, sweep: sweep, task: shard.index).first?.tip }
        if let pushed {
            // Build on what this task pushed before, so the next push is a fast-forward of its own ref.
            _ = try journal.mergeIntoLine([pushed], message: "sweep \(sweep) task \(shard): resume from its earlier records")
        }
        let runner = GridRunner(journal: journal)
        let points = shard.select(try runner.plan(dataset: dataset, validation: validation, model: model, points: planned))
        var outcome = Outcome()
        outcome.shardPoints = points.count
        outcome.alreadyRecorded = points.filter(\.isKnown).count
        let pending = points.filter { !$0.isKnown }
        let stage = JournalLayout.stageReference(try journal.currentBranch())
        let size = max(1, jobs)
        for start in stride(from: 0, to: pending.count, by: size) {
            let batch = Array(pending[start..<min(pending.count, start + size)])
            let finished = try runner.run(batch, dataset: dataset, validation: validation, model: model, jobs: jobs)
            outcome.trained += finished.filter { $0.trained != nil }.count
            let paths = Set(finished.flatMap { $0.stagedPaths(stage: stage) })
            guard !paths.isEmpty else { continue }
            do {
                _ = try journal.commit(message: "sweep \(sweep) task \(shard): \(outcome.trained) of \(pending.count) points trained", only: paths)
            } catch JournalError.nothingStaged {
                continue
            }
            let expected = pushed
            pushed = try NetworkRetry.run { try journal.pushSweepTask(remote: remote, sweep: sweep, task: shard.index, expected: expected).tip }
            outcome.pushes += 1
            report?(outcome.trained, pending.count)
        }
        return outcome
    }
}
