import Journal
import JournalStore

/// One line of inquiry as the report shows it: its committed state, hypothesis, experiments (each
/// with the commit that recorded it), datasets and history.
public struct ReportLine: Sendable {
    public let branch: String
    public let tip: Commit
    public let hypothesis: Hypothesis?
    /// The committed experiments, lowest validation loss first (those without one last). Curves are
    /// read only for those the report draws (the lowest losses of each dataset); the others' are empty.
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

    public init(journal: LabJournal, branch: String) throws {
        guard let tipID = try journal.head(of: branch) else {
            throw JournalError.unknown(kind: "line of inquiry with commits", name: branch)
        }
        self.branch = branch
        tip = try journal.repository.commit(tipID)
        hypothesis = try journal.hypothesis(onBranch: branch)
        var experiments = try journal.experiments(in: tip.tree, parts: [.checks])
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
        // Curves are most of a record; a line of 100,000 experiments draws a few of them.
        let candidates = try experiments.filter { try journal.repository.entry(at: "results/curves.json", in: $0.id) != nil }
        let position = Dictionary(experiments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A curves file read and found empty does not count as recorded curves.
        var withCurves = candidates.count
        for group in DatasetGroups.split(candidates, names: Self.datasetNames(datasets)) {
            var shown = 0
            for candidate in group.experiments where shown < ReportPage.curveLimit {
                guard let index = position[candidate.id] else { continue }
                experiments[index] = try journal.experiment(candidate.id, parts: [.checks, .curves])
                if experiments[index].curves.isEmpty { withCurves -= 1 } else { shown += 1 }
            }
        }
        experimentsWithCurves = withCurves
        self.experiments = experiments
    }

    /// Names for dataset trees, for tables and plot panels ("dataset <id>" for one without a name).
    static func datasetNames(_ datasets: [DatasetRecord]) -> [TreeID: String] {
        var names: [TreeID: String] = [:]
        for dataset in datasets { names[dataset.id] = dataset.name ?? "dataset " + dataset.id.short }
        return names
    }
}
