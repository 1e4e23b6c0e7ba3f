import Journal

/// Names experiments by what sets them apart: the parameters whose values differ among them.
public enum ExperimentLabels {
    /// Parameters with more than one value among the experiments, in canonical key order.
    public static func varyingParameters(_ experiments: [ExperimentRecord]) -> [String] {
        // A parameter varies when two experiments differ in it, an absent one counting as null: one
        // pass over the parameters, not one per parameter over 100,000 experiments.
        // One dictionary access per parameter per experiment (three were most of a report's grid plot).
        var seen: [String: (first: JSONValue, count: Int, varies: Bool)] = [:]
        for experiment in experiments {
            for (key, value) in experiment.params {
                if let index = seen.index(forKey: key) {
                    seen.values[index].count += 1
                    if !seen.values[index].varies && seen.values[index].first != value { seen.values[index].varies = true }
                } else {
                    seen[key] = (value, 1, false)
                }
            }
        }
        let varies = seen.filter { $0.value.varies || ($0.value.count < experiments.count && $0.value.first != .null) }.keys
        return varies.sorted(by: CanonicalJSON.precedes)
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
