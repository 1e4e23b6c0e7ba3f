import Journal

/// Names experiments by what sets them apart: the parameters whose values differ among them.
public enum ExperimentLabels {
    /// Parameters with more than one value among the experiments, in canonical key order.
    public static func varyingParameters(_ experiments: [ExperimentRecord]) -> [String] {
        varyingParameters(ExperimentColumns(records: experiments), rows: Array(experiments.indices))
    }

    /// Parameters with more than one value among these rows, in canonical key order: two rows differ in
    /// it, or some row lacks it while the others set it to something other than null.
    public static func varyingParameters(_ columns: ExperimentColumns, rows: [Int]) -> [String] {
        var varying: [String] = []
        for (position, name) in columns.parameterNames.enumerated() {
            let column = columns.parameterColumns[position]
            var first: Int32 = -1, unset = false, varies = false
            for row in rows {
                let index = column[row]
                if index < 0 { unset = true; continue }
                if first < 0 { first = index; continue }
                // Distinct indices may still be equal values (0 and -0); one difference is enough.
                if !varies && index != first && columns.values[Int(index)] != columns.values[Int(first)] { varies = true }
                if varies && unset { break }
            }
            guard first >= 0 else { continue }
            if varies || (unset && columns.values[Int(first)] != .null) { varying.append(name) }
        }
        return varying.sorted(by: CanonicalJSON.precedes)
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
