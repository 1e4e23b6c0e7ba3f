import Foundation
import JournalStore

/// What the experiment table shows of one experiment, read once from its tree and kept in the
/// summary cache: an experiment tree never changes, so neither does its summary.
public struct ExperimentSummary: Sendable, Equatable {
    public let experiment: ObjectID
    public let runKey: ObjectID
    /// Seconds since 1970 of `run.json`'s `started` (0 when absent).
    public let started: Double
    /// `ok`, `failed` or `diverged` (`run.json`'s `status`; `ok` when absent).
    public let status: String
    /// The dataset tree it trained on (nil for `xj run` experiments).
    public let dataset: ObjectID?
    /// The program of an `xj run` experiment (its argv), nil for `xj train`.
    public let command: [String]?
    /// The parameters as given (`inputs/params.json`) with what an `xj run` program reported filling in
    /// what it was not given: what the table shows.
    public let params: [String: JSONValue]
    /// The parameters as given alone: what a verdict's selectors and conditions read.
    public let givenParams: [String: JSONValue]
    /// The numeric metrics of `results/metrics.json`.
    public let metrics: [String: Double]
    /// The names of `results/metrics.json`'s members that are not numbers (a verdict knows them as metrics).
    public let otherMetricNames: [String]
    /// The check codes that did not pass, e.g. "fail K302; warn K102" (empty when all passed or none ran).
    public let flaggedChecks: String
    /// Whether `results/curves.json` holds any curve.
    public let hasCurves: Bool

    public init(experiment: ObjectID, runKey: ObjectID, started: Double, status: String, dataset: ObjectID?, command: [String]?,
                givenParams: [String: JSONValue], reportedParams: [String: JSONValue] = [:], metrics: [String: Double],
                otherMetricNames: [String] = [], flaggedChecks: String, hasCurves: Bool = false) {
        self.experiment = experiment
        self.runKey = runKey
        self.started = started
        self.status = status
        self.dataset = dataset
        self.command = command
        self.givenParams = givenParams
        // What a program reported fills in what it was not given; given values win.
        self.params = reportedParams.isEmpty ? givenParams : reportedParams.merging(givenParams) { _, given in given }
        self.metrics = metrics
        self.otherMetricNames = otherMetricNames.sorted()
        self.flaggedChecks = flaggedChecks
        self.hasCurves = hasCurves
        self.reportedParams = reportedParams
    }

    /// What an `xj run` program reported (`results/params.json`), as recorded.
    public let reportedParams: [String: JSONValue]

    /// The model kind (`mlp`, `logistic`, `lstm`), or `run` for a recorded program.
    public var model: String { params["model"]?.stringValue ?? (command != nil ? "run" : "-") }

    /// Reads the summary of an experiment tree.
    /// - Throws: `JournalError.malformedRecord` when the tree is not an experiment.
    public init(journal: LabJournal, experiment id: TreeID) throws {
        // Curves are most of a record and the summary needs only whether there are any.
        let record = try journal.experiment(id, parts: [.checks, .reportedParameters])
        var metrics: [String: Double] = [:]
        var others: [String] = []
        for (name, value) in record.metrics {
            if let number = value.numberValue, number.isFinite { metrics[name] = number } else { others.append(name) }
        }
        self.init(experiment: id.object, runKey: record.runKey.object,
                  started: record.run["started"]?.stringValue.flatMap(RunTimestamp.date)?.timeIntervalSince1970 ?? 0,
                  status: record.run["status"]?.stringValue ?? "ok", dataset: record.datasetID?.object, command: record.command,
                  givenParams: record.params, reportedParams: record.reportedParams, metrics: metrics, otherMetricNames: others,
                  flaggedChecks: RecordedCheck.flagged(record.checks), hasCurves: try journal.recordsCurves(id))
    }
}
