import Foundation
import Journal

/// How experiments read on the terminal.
enum ExperimentText {
    /// "experiment 3f2a91c on main (2 hours ago): val_accuracy 0.9680, val_loss 0.1120"
    static func describe(_ entry: RunIndexEntry, current: String?) -> String {
        let names = entry.references.map(RunIndexEntry.shortName)
        let place = current.flatMap { names.contains($0) ? $0 : nil } ?? names.first ?? "?"
        var metrics: [String] = []
        if !entry.validationScore.isNaN { metrics.append("\(entry.scoreName) \(Output.number4(entry.validationScore))") }
        if !entry.validationLoss.isNaN { metrics.append("val_loss \(Output.number4(entry.validationLoss))") }
        let age = entry.started > 0 ? " (\(Output.age(entry.started)))" : ""
        return "experiment \(entry.experiment.short) on \(place)\(age): " + (metrics.isEmpty ? "no validation metrics" : metrics.joined(separator: ", "))
    }

    /// "val_accuracy 0.9750, val_loss 0.0912" with the headline metrics first.
    static func metricSummary(_ metrics: [String: JSONValue]) -> String {
        let order = ["val_accuracy", "val_bpc", "val_loss", "val_r2", "val_mae", "train_loss"]
        return order.compactMap { key in metrics[key]?.numberValue.map { "\(key) \(Output.number4($0))" } }.joined(separator: ", ")
    }

    /// About `rows` evenly spaced indices of `0..<count`, always including the last.
    static func sampledIndices(count: Int, rows: Int = 10) -> [Int] {
        guard count > 0 else { return [] }
        let step = max(1, Int((Double(count) / Double(rows)).rounded(.up)))
        var picked = Array(stride(from: 0, to: count, by: step))
        if picked.last != count - 1 { picked.append(count - 1) }
        return picked
    }

    /// The learning curve as a small table: at most `rows` epochs, evenly spaced, always the last.
    static func curveTable(_ curves: [String: JSONValue], rows: Int = 10) -> [String] {
        guard let epochs = curves["epoch"]?.arrayValue, !epochs.isEmpty else { return [] }
        let columns = ["train_loss", "val_loss", "train_accuracy", "val_accuracy", "val_r2", "train_bpc", "val_bpc"].filter { curves[$0] != nil }
        let picked = sampledIndices(count: epochs.count, rows: rows)
        var table = [["epoch"] + columns]
        for index in picked {
            table.append([epochs[index].displayText] + columns.map { curves[$0]?.arrayValue?[index].numberValue.map(Output.number4) ?? "-" })
        }
        return Output.table(table)
    }
}

extension ExperimentText {
    /// "  checks    18 pass, 2 warn, 1 n/a" and one line per check that did not pass.
    static func checkLines(_ checks: [RecordedCheck], indent: String = "  ") -> [String] {
        guard !checks.isEmpty else { return [] }
        var lines = ["\(indent)checks    \(RecordedCheck.summary(checks))"]
        for status in ["fail", "warn"] {
            for check in checks where check.status == status {
                lines.append("\(indent)  \(status) \(check.code) \(check.title): \(check.message)")
            }
        }
        return lines
    }
}

extension ExperimentText {
    /// A command line as a shell would take it back: words with spaces or quotes are single-quoted.
    static func shellWords(_ argv: [String]) -> String {
        argv.map { word in
            let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0) }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

extension ExperimentText {
    /// What `xj train` and `xj run` say when the run key is already recorded (text or JSON).
    static func reportAlreadyRun(_ earlier: [RunIndexEntry], journal: LabJournal, json: Bool, nothing: String) {
        if json {
            Output.json(["outcome": "already_run", "run_key": .string(earlier[0].runKey.hex), "experiments": .array(earlier.map(\.json))])
            return
        }
        Output.line("already run: " + describe(earlier[0], current: try? journal.currentBranch()))
        if earlier.count > 1 { Output.line("(\(earlier.count) experiments with these inputs; `xj runs \(earlier[0].runKey.short)` lists them)") }
        Output.line(nothing)
    }
}
