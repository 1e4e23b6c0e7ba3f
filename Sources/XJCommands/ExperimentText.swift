import Journal

/// How experiments read on the terminal.
enum ExperimentText {
    /// "val_accuracy 0.9750, val_loss 0.0912" with the headline metrics first.
    static func metricSummary(_ metrics: [String: JSONValue]) -> String {
        let order = ["val_accuracy", "val_loss", "val_r2", "val_mae", "train_loss"]
        return order.compactMap { key in metrics[key]?.numberValue.map { "\(key) \(Output.number4($0))" } }.joined(separator: ", ")
    }

    /// The learning curve as a small table: at most `rows` epochs, evenly spaced, always the last.
    static func curveTable(_ curves: [String: JSONValue], rows: Int = 10) -> [String] {
        guard let epochs = curves["epoch"]?.arrayValue, !epochs.isEmpty else { return [] }
        let columns = ["train_loss", "val_loss", "train_accuracy", "val_accuracy", "val_r2"].filter { curves[$0] != nil }
        let step = max(1, Int((Double(epochs.count) / Double(rows)).rounded(.up)))
        var picked = Array(stride(from: 0, to: epochs.count, by: step))
        if picked.last != epochs.count - 1 { picked.append(epochs.count - 1) }
        var table = [["epoch"] + columns]
        for index in picked {
            table.append([epochs[index].displayText] + columns.map { curves[$0]?.arrayValue?[index].numberValue.map(Output.number4) ?? "-" })
        }
        return Output.table(table)
    }
}
