import Journal
import JournalStore

/// One line of inquiry as the report shows it: its committed state, hypothesis, experiments (each
/// with the commit that recorded it), datasets and history.
public struct ReportLine: Sendable {
    public let branch: String
    public let tip: Commit
    public let hypothesis: Hypothesis?
    /// The committed experiments, lowest validation loss first (those without one last).
    public let experiments: [ExperimentRecord]
    /// The commit that first recorded each experiment (by experiment id).
    public let recordedIn: [TreeID: CommitID]
    /// The branch's commits, newest first.
    public let commits: [JournalRecord]
    public let datasets: [DatasetRecord]
    /// How many commits the history list leaves out (very long histories).
    public let omittedCommits: Int

    /// The commits listed in a report, at most.
    static let commitLimit = 500

    public init(journal: LabJournal, branch: String) throws {
        guard let tipID = try journal.head(of: branch) else {
            throw JournalError.unknown(kind: "line of inquiry with commits", name: branch)
        }
        self.branch = branch
        tip = try journal.repository.commit(tipID)
        hypothesis = try journal.hypothesis(onBranch: branch)
        experiments = try journal.experiments(in: tip.tree)
            .sorted { ($0.metrics["val_loss"]?.numberValue ?? .infinity) < ($1.metrics["val_loss"]?.numberValue ?? .infinity) }
        let history = try journal.repository.history(from: [tipID], limit: nil)
        var commits: [JournalRecord] = []
        var recordedIn: [TreeID: CommitID] = [:]
        // Oldest first, so each experiment maps to the commit that first recorded it.
        for commit in history.reversed() {
            let record = try journal.record(commit, detailed: true)
            for change in record.changes where change.kind == .added && change.record.category == JournalLayout.experiments {
                let id = TreeID(change.record.id)
                if recordedIn[id] == nil { recordedIn[id] = commit }
            }
            commits.append(record)
        }
        self.recordedIn = recordedIn
        self.commits = Array(commits.reversed().prefix(Self.commitLimit))
        omittedCommits = max(commits.count - Self.commitLimit, 0)
        var datasets: [DatasetRecord] = []
        if let folder = try journal.repository.entry(at: JournalLayout.datasets, in: tip.tree), folder.kind == .tree {
            for entry in try journal.repository.tree(TreeID(folder.id)) where entry.kind == .tree {
                datasets.append(try journal.dataset(TreeID(entry.id), name: entry.name))
            }
        }
        for id in Set(experiments.compactMap(\.datasetID)) where !datasets.contains(where: { $0.id == id }) {
            datasets.append(try journal.dataset(id, name: nil))
        }
        self.datasets = datasets
    }
}
