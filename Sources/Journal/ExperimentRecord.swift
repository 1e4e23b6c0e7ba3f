import Foundation
import JournalStore

/// An experiment read back from the journal: its inputs, results and run information (FORMAT.md, "Experiment").
public struct ExperimentRecord: Sendable {
    public let id: TreeID
    /// The id of the inputs tree: two experiments with one run key computed the same thing.
    public let runKey: TreeID
    /// The dataset tree `xj train` trained on (nil for `xj run` experiments, which declare files instead).
    public let datasetID: TreeID?
    /// The program and its arguments, for `xj run` experiments (nil for `xj train`).
    public var command: [String]? = nil
    public let params: [String: JSONValue]
    public let metrics: [String: JSONValue]
    /// Columns by name (`epoch`, `train_loss`, `val_loss`, …), one entry per epoch.
    public let curves: [String: JSONValue]
    public let run: [String: JSONValue]
    /// The id of `results/weights.npy`, compared bit for bit between replicates.
    public let weights: BlobID?
    /// `results/params.json`: parameters an `xj run` program reported having used (not part of the run key).
    public var reportedParams: [String: JSONValue] = [:]
    /// The sanity-check findings of `results/checks.json` (none for experiments recorded before checks existed).
    public var checks: [RecordedCheck] = []

    public var json: JSONValue {
        .object([
            "kind": "experiment", "id": .string(id.hex), "run_key": .string(runKey.hex), "dataset": datasetID.map { .string($0.hex) } ?? .null,
            "command": command.map { .array($0.map(JSONValue.string)) } ?? .null,
            "params": .object(params), "metrics": .object(metrics), "curves": .object(curves), "run": .object(run),
            "weights": weights.map { .string($0.hex) } ?? .null, "checks": .array(checks.map(\.json)),
            "reported_params": .object(reportedParams),
        ])
    }
}

extension ExperimentRecord {
    /// `init(summary:)` of each, in order; many on several threads at once.
    public static func records(of summaries: [ExperimentSummary]) -> [ExperimentRecord] {
        ConcurrentBlocks.map(count: summaries.count, threshold: 8_192) { block in summaries[block].map(ExperimentRecord.init(summary:)) }
            .flatMap { $0 }
    }

    /// What a summary holds of an experiment: parameters as given, metrics, status, dataset and command,
    /// all a verdict reads. Nothing else: `run` has only `status`; no curves, checks, reported
    /// parameters or weights (read the experiment for those).
    public init(summary: ExperimentSummary) {
        var metrics: [String: JSONValue] = summary.metrics.mapValues(JSONValue.number)
        // Only the names of the other members matter to a verdict (a prediction may name them).
        for name in summary.otherMetricNames { metrics[name] = .null }
        self.init(id: TreeID(summary.experiment), runKey: TreeID(summary.runKey), datasetID: summary.dataset.map(TreeID.init),
                  command: summary.command, params: summary.givenParams, metrics: metrics, curves: [:],
                  run: ["status": .string(summary.status)], weights: nil)
    }
}
