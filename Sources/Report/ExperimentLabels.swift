import Journal

/// Names experiments by what sets them apart: the parameters whose values differ among them.
public enum ExperimentLabels {
    /// Parameters with more than one value among the experiments, in canonical key order.
    public static func varyingParameters(_ experiments: [ExperimentRecord]) -> [String] {
        let keys = Set(experiments.flatMap(\.params.keys))
        return keys.filter { key in Set(experiments.map { $0.params[key] ?? .null }).count > 1 }.sorted(by: CanonicalJSON.precedes)
    }

    /// One label per experiment, e.g. "lr=0.01 hidden=64"; the short id when nothing differs (or to
    /// tell apart experiments whose parameters are equal). A parameter an experiment does not have
    /// is left out of its label (never `dropout=-`).
    public static func labels(_ experiments: [ExperimentRecord]) -> [String] {
        let varying = varyingParameters(experiments)
        var labels = experiments.map { experiment in
            varying.compactMap { key in experiment.params[key].map { "\(key)=\($0.displayText)" } }.joined(separator: " ")
        }
        var counts: [String: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        for index in labels.indices where labels[index].isEmpty || counts[labels[index]]! > 1 {
            labels[index] = (labels[index].isEmpty ? "" : labels[index] + " ") + experiments[index].id.short
        }
        return labels
    }
}
