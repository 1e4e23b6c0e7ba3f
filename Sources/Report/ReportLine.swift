import Journal
import JournalStore

/// One line of inquiry as the report shows it: its committed state, hypothesis, experiments (each
/// with the commit that recorded it), datasets and history.
public struct ReportLine: Sendable {
    public let branch: String
    public let tip: Commit
    public let hypothesis: Hypothesis?
    /// Every committed experiment by column, as the summary cache holds them (parameters as given,
    /// metrics, status, dataset, whether it recorded curves): what the grid plot reads.
    public let columns: ExperimentColumns
    /// The rows of `columns`, lowest validation loss first (those without one last; ties keep the tree's order).
    public let order: [Int]
    /// The first `detailedRows` experiments of `order` read whole with their checks: the table's rows.
    public let detailed: [ExperimentRecord]
    /// The experiments whose curves the report draws, read with them: the lowest validation losses of
    /// each dataset, at most `ReportPage.curveLimit` each, in `order`.
    public let drawnCurves: [ExperimentRecord]
    /// How many of the experiments recorded curves.
    public let experimentsWithCurves: Int
    /// The commit that first recorded each detailed experiment (by experiment id).
    public let recordedIn: [TreeID: CommitID]
    /// The branch's newest commits, newest first (at most `commitLimit`).
    public let commits: [JournalRecord]
    public let datasets: [DatasetRecord]
    /// How many commits the history list leaves out (very long histories).
    public let omittedCommits: Int

    /// The commits listed in a report, at most.
    static let commitLimit = 500

    /// The number of committed experiments.
    public var experimentCount: Int { columns.count }

    /// - Parameter detailedRows: how many of the best experiments are read whole (the table's rows).
    public init(journal: LabJournal, branch: String, detailedRows: Int = ReportPage.defaultTableRows) throws {
        guard let tipID = try journal.head(of: branch) else {
            throw JournalError.unknown(kind: "line of inquiry with commits", name: branch)
        }
        // Columns for the whole line: a line of 100,000 experiments is read in a fraction of a second,
        // without a record or a dictionary per experiment.
        let tip = try journal.repository.commit(tipID)
        try self.init(journal: journal, branch: branch, tip: tip, columns: try journal.experimentColumns(in: tip.tree), detailedRows: detailedRows)
    }

    /// The line with its experiments' columns given (a test gives those of every record read whole).
    init(journal: LabJournal, branch: String, tip: Commit, columns: ExperimentColumns, detailedRows: Int) throws {
        self.branch = branch
        self.tip = tip
        self.columns = columns
        hypothesis = try journal.hypothesis(onBranch: branch)
        let loss = columns.metric("val_loss").map { $0.map { $0.isNaN ? .infinity : $0 } } ?? [Double](repeating: .infinity, count: columns.count)
        order = columns.ids.indices.sorted { loss[$0] < loss[$1] || (loss[$0] == loss[$1] && $0 < $1) }
        detailed = try order.prefix(detailedRows).map { try journal.experiment(TreeID(columns.ids[$0]), parts: [.checks]) }

        let history = try journal.repository.history(from: [tip.id], limit: nil)
        commits = try history.prefix(Self.commitLimit).map { try journal.record($0, detailed: false) }
        omittedCommits = max(history.count - Self.commitLimit, 0)
        recordedIn = try journal.firstRecordings(of: detailed.map { (runKey: $0.runKey, experiment: $0.id) }, history: history)

        var datasets: [DatasetRecord] = []
        if let folder = try journal.repository.entry(at: JournalLayout.datasets, in: tip.tree), folder.kind == .tree {
            for entry in try journal.repository.tree(TreeID(folder.id)) where entry.kind == .tree {
                datasets.append(try journal.dataset(TreeID(entry.id), name: entry.name))
            }
        }
        for id in columns.datasets where !datasets.contains(where: { $0.id == id }) {
            datasets.append(try journal.dataset(id, name: nil))
        }
        self.datasets = datasets
        // Curves are most of a record; a line of 100,000 experiments draws a few of them.
        let candidates = order.filter { columns.recordsCurves[$0] }
        var drawn: [Int] = []
        for group in DatasetGroups.split(candidates, of: columns, names: Self.datasetNames(datasets)) {
            drawn += group.experiments.prefix(ReportPage.curveLimit)
        }
        let drawnRows = Set(drawn)
        drawnCurves = try candidates.filter(drawnRows.contains).map { try journal.experiment(TreeID(columns.ids[$0]), parts: [.checks, .curves]) }
        experimentsWithCurves = candidates.count
    }

    /// Names for dataset trees, for tables and plot panels ("dataset <id>" for one without a name).
    static func datasetNames(_ datasets: [DatasetRecord]) -> [TreeID: String] {
        var names: [TreeID: String] = [:]
        for dataset in datasets { names[dataset.id] = dataset.name ?? "dataset " + dataset.id.short }
        return names
    }
}
