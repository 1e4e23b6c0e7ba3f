import Journal
import JournalStore

/// One line of inquiry as the report shows it: its committed state, hypothesis, experiments (each
/// with the commit that recorded it), datasets and history.
public struct ReportLine: Sendable {
    public let branch: String
    public let tip: Commit
    public let hypothesis: Hypothesis?
    /// The committed experiments, lowest validation loss first (those without one last). The first
    /// `detailedRows` (the table's rows) are read whole with their checks, and curves only for those the
    /// report draws (the lowest losses of each dataset); the others are what the summary cache holds
    /// (`ExperimentRecord(summary:)`: parameters, metrics, status, dataset).
    public let experiments: [ExperimentRecord]
    /// How many of the experiments recorded curves.
    public let experimentsWithCurves: Int
    /// The commit that first recorded each experiment (by experiment id).
    public let recordedIn: [TreeID: CommitID]
    /// The branch's commits, newest first.
    public let commits: [JournalRecord]
    public let datasets: [DatasetRecord]
    /// How many commits the history list leaves out (very long histories).
    public let omittedCommits: Int

    /// The commits listed in a report, at most.
    static let commitLimit = 500

    /// - Parameter detailedRows: how many of the best experiments are read whole (the table's rows).
    public init(journal: LabJournal, branch: String, detailedRows: Int = ReportPage.defaultTableRows) throws {
        guard let tipID = try journal.head(of: branch) else {
            throw JournalError.unknown(kind: "line of inquiry with commits", name: branch)
        }
        self.branch = branch
        tip = try journal.repository.commit(tipID)
        hypothesis = try journal.hypothesis(onBranch: branch)
        // Summaries for the whole line (a line of 100,000 experiments read them in seconds, not a minute),
        // sorted by position so that records are not moved about; ties keep the tree's order.
        let summaries = try journal.experimentSummaries(in: tip.tree)
        let loss = summaries.map { $0.metrics["val_loss"] ?? .infinity }
        let order = summaries.indices.sorted { loss[$0] < loss[$1] || (loss[$0] == loss[$1] && $0 < $1) }
        var experiments = try order.enumerated().map { rank, index in
            rank < detailedRows ? try journal.experiment(TreeID(summaries[index].experiment), parts: [.checks])
                                : ExperimentRecord(summary: summaries[index])
        }
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
        // Curves are most of a record; a line of 100,000 experiments draws a few of them.
        let candidates = order.enumerated().filter { summaries[$0.element].hasCurves }.map { experiments[$0.offset] }
        let position = Dictionary(experiments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for group in DatasetGroups.split(candidates, names: Self.datasetNames(datasets)) {
            for candidate in group.experiments.prefix(ReportPage.curveLimit) {
                guard let index = position[candidate.id] else { continue }
                experiments[index] = try journal.experiment(candidate.id, parts: [.checks, .curves])
            }
        }
        experimentsWithCurves = candidates.count
        self.experiments = experiments
    }

    /// Names for dataset trees, for tables and plot panels ("dataset <id>" for one without a name).
    static func datasetNames(_ datasets: [DatasetRecord]) -> [TreeID: String] {
        var names: [TreeID: String] = [:]
        for dataset in datasets { names[dataset.id] = dataset.name ?? "dataset " + dataset.id.short }
        return names
    }
}
