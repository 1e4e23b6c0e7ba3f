import Journal

/// The metric and parameter names a prediction may use: what xj's trainer records and what the
/// journal's experiments record. A hypothesis that names anything else is refused when it is stated
/// (with the nearest known name), not left to match nothing at verdict time.
public struct PredictionVocabulary: Sendable {
    /// Metrics `xj train` records (Docs/FORMAT.md, `results/metrics.json`).
    public static let trainerMetrics: Set<String> = [
        "train_loss", "val_loss", "train_accuracy", "val_accuracy", "train_mse", "val_mse", "val_mae", "val_r2",
        "epochs_run", "best_epoch", "parameters", "val_accuracy_mc", "val_mse_mc", "val_uncertainty",
        "val_rmse", "val_rmse_mc", "val_ll", "val_ll_mc", "test_loss", "test_rmse", "test_accuracy", "test_ll",
        "test_rmse_mc", "test_mse_mc", "test_accuracy_mc", "test_ll_mc", "test_uncertainty",
        "val_bpc", "val_ppl", "train_bpc", "train_eval_bpc", "bpc_gap", "val_bpc_mc",
    ]
    /// A kind of data as the trainer tells them apart, with the metrics only that kind gives.
    public struct DataKind: Sendable, Equatable {
        /// How one dataset of the kind is named ("a regression dataset"), and how several are.
        public let one: String
        public let many: String
        let metrics: Set<String>
    }

    /// Accuracy needs classes, the squared-error family a numeric target, bits per character a text corpus.
    /// Any other metric of the trainer's may be recorded on any kind (given a test set or Monte-Carlo passes).
    static let classification = DataKind(one: "a classification dataset", many: "classification datasets",
                                         metrics: ["train_accuracy", "val_accuracy", "test_accuracy", "val_accuracy_mc", "test_accuracy_mc"])
    static let regression = DataKind(one: "a regression dataset", many: "regression datasets",
                                     metrics: ["train_mse", "val_mse", "val_mae", "val_r2", "val_rmse", "val_rmse_mc", "val_mse_mc", "val_ll", "val_ll_mc",
                                               "test_rmse", "test_ll", "test_rmse_mc", "test_mse_mc", "test_ll_mc"])
    static let text = DataKind(one: "a text corpus", many: "text corpora",
                               metrics: ["val_bpc", "val_ppl", "train_bpc", "train_eval_bpc", "bpc_gap", "val_bpc_mc"])

    /// The kind of data `manifest` describes.
    public static func kind(of manifest: DatasetManifest) -> DataKind {
        manifest.format == .text ? text : manifest.task == .classification ? classification : regression
    }

    /// The other kind of data whose runs alone record `metric` (so training on `manifest`'s dataset never
    /// records it), else nil.
    public static func trainerMetric(_ metric: String, onlyForKindOtherThan manifest: DatasetManifest) -> DataKind? {
        let own = kind(of: manifest)
        return [classification, regression, text].first { $0.metrics.contains(metric) && $0 != own }
    }

    /// Selector keys that are not parameters.
    public static let conditionKeys: Set<String> = ["dataset", "model", "status", "tag"]

    public let metrics: Set<String>
    public let parameters: Set<String>

    /// The trainer's names and those of `experiments`.
    public init(experiments: [ExperimentRecord]) {
        var metrics = Self.trainerMetrics
        var parameters = Self.conditionKeys.union(TrainingParameters.Model.allCases.flatMap(TrainingParameters.keys(for:)))
        for experiment in experiments {
            metrics.formUnion(experiment.metrics.keys)
            parameters.formUnion(experiment.params.keys)
        }
        self.metrics = metrics
        self.parameters = parameters
    }

    /// - Throws: `LabError.unknownName` for the first metric or selector key no run records, with the nearest known one.
    public func check(_ predictions: [Prediction]) throws {
        for prediction in predictions {
            for side in prediction.sides {
                if !metrics.contains(side.metric) {
                    throw LabError.unknownName(kind: "metric", name: side.metric, prediction: prediction.text,
                                               nearest: RecordNames.nearest(to: side.metric, among: metrics.sorted()))
                }
                for key in side.selector.keys.sorted() where !parameters.contains(key) {
                    throw LabError.unknownName(kind: "parameter", name: key, prediction: prediction.text,
                                               nearest: RecordNames.nearest(to: key, among: parameters.sorted()))
                }
            }
        }
    }
}
