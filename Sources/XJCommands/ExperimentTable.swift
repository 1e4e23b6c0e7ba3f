import Foundation
import Journal

/// How `xj runs` lays out experiment rows: which columns, in what order, how each cell reads, and
/// what fits the terminal.
struct ExperimentTable {
    /// Metrics shown by default when any row has them, in this order.
    static let headlineMetrics = ["val_loss", "val_accuracy", "val_r2", "val_bpc"]

    let rows: [ExperimentRow]

    /// Every field a `--where`, `--sort` or `--columns` may name for these rows.
    var knownFields: Set<String> {
        var params = Set<String>(), metrics = Set<String>()
        for row in rows {
            params.formUnion(row.summary.params.keys)
            metrics.formUnion(row.summary.metrics.keys)
        }
        return Set(ExperimentRow.fixedFields).union(["tags", "branch", "id"]).union(params).union(metrics)
            .union(params.map { "params." + $0 }).union(metrics.map { "metrics." + $0 })
    }

    /// Refuses a field no row has (one line, with a "did you mean" when one is close).
    /// - Parameter known: `knownFields`, computed once by the caller.
    func check(_ field: String, known: Set<String>, option: String, text: String, column: Int?) throws {
        guard !rows.isEmpty, !known.contains(field) else { return }
        let message = "no experiment here has a field `\(field)`" + RecordNames.suggestion(for: field, among: known.sorted())
            + "; fields are the parameters, the metrics, and " + ExperimentRow.fixedFields.filter { $0 != "run_key" }.joined(separator: ", ")
        if let column { throw JournalError.filterSyntax(option: option, text: text, column: column, message: message) }
        throw CommandFailure(status: 2, message: "\(option): " + message)
    }

    /// Parameters whose values differ among the rows (or that some rows lack), model aside.
    var varyingParameters: [String] {
        var values: [String: Set<JSONValue>] = [:]
        var present: [String: Int] = [:]
        for row in rows {
            for (key, value) in row.summary.params where key != "model" {
                values[key, default: []].insert(value)
                present[key, default: 0] += 1
            }
        }
        return values.keys.filter { values[$0]!.count > 1 || present[$0]! < rows.count }.sorted()
    }

    var allParameters: [String] { Set(rows.flatMap(\.summary.params.keys)).subtracting(["model"]).sorted() }
    var allMetrics: [String] { Set(rows.flatMap(\.summary.metrics.keys)).sorted() }

    /// The headline metrics present; when none is, up to three of the others.
    var shownMetrics: [String] {
        let present = Set(rows.flatMap(\.summary.metrics.keys))
        let headline = Self.headlineMetrics.filter(present.contains)
        return headline.isEmpty ? Array(present.sorted().prefix(3)) : headline
    }

    /// The default columns: what identifies a row, the parameters that vary, the headline metrics,
    /// then status, and checks and tags when any row has them.
    func defaultColumns(allParams: Bool, everything: Bool) -> [String] {
        var columns = ["experiment", "date", "line"]
        if rows.contains(where: { $0.summary.dataset != nil }) { columns.append("dataset") }
        columns.append("model")
        let params = allParams || everything ? allParameters : varyingParameters
        let metrics = everything ? allMetrics : shownMetrics
        // A name that is both a parameter and a metric is spelled out.
        columns += params.map { metrics.contains($0) ? "params." + $0 : $0 }
        columns += metrics.map { params.contains($0) ? "metrics." + $0 : $0 }
        columns.append("status")
        if everything || rows.contains(where: { !$0.summary.flaggedChecks.isEmpty }) { columns.append("checks") }
        if everything || rows.contains(where: { !$0.tags.isEmpty }) { columns.append("tag") }
        if everything { columns = ["experiment", "run_key"] + columns.dropFirst() + ["note"] }
        return columns
    }

    /// A cell as the text table shows it.
    static func cell(_ row: ExperimentRow, _ column: String, full: Bool) -> String {
        switch column {
        case "experiment", "id": return full ? row.summary.experiment.hex : String(row.summary.experiment.hex.prefix(7))
        case "run_key": return full ? row.summary.runKey.hex : String(row.summary.runKey.hex.prefix(7))
        case "date":
            guard row.summary.started > 0 else { return "-" }
            return full ? row.date : Output.date(Date(timeIntervalSince1970: row.summary.started))
        case "line", "branch":
            let lines = row.lines
            guard let first = lines.first else { return "-" }
            return full ? lines.joined(separator: " ") : first + (lines.count > 1 ? " +\(lines.count - 1)" : "")
        case "checks": return row.summary.flaggedChecks.isEmpty ? (full ? "" : "ok") : row.summary.flaggedChecks
        case "tag", "tags": return row.tags.isEmpty ? (full ? "" : "-") : row.tags.joined(separator: full ? " " : ",")
        case "note":
            guard let note = row.note else { return full ? "" : "-" }
            return full ? note : String(note.split(separator: "\n").first ?? "").prefix(40) + (note.count > 40 ? "…" : "")
        default: break
        }
        let values = row.values(of: column)
        guard let value = values.first else { return full ? "" : "-" }
        if case .number = value {
            return full ? CanonicalJSON.string(value) : valueCell(value, isMetric: column.hasPrefix("metrics.") || row.summary.metrics[column] != nil)
        }
        return values.map(\.displayText).joined(separator: " ")
    }

    /// A parameter's or metric's value as the text table shows it: metrics to 4 decimals, other
    /// numbers to 4 significant digits, integers whole.
    static func valueCell(_ value: JSONValue, isMetric: Bool) -> String {
        guard case let .number(number) = value else { return value.displayText }
        return isMetric ? Output.number4(number) : Output.number(number)
    }

    /// The header a column shows.
    static func heading(_ column: String) -> String {
        column == "tag" ? "tags" : column
    }

    /// `--sort` keys: `-val_loss,lr` → [(val_loss, descending), (lr, ascending)].
    static func sortKeys(_ text: String) throws -> [(field: String, descending: Bool)] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let descending = trimmed.hasPrefix("-")
            let field = descending || trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed
            guard !field.isEmpty else { throw CommandFailure(status: 2, message: "--sort \(text.debugDescription): an empty key; write e.g. --sort -val_accuracy,lr") }
            return (field, descending)
        }
    }

    /// Rows ordered by the keys; a row without a key's field goes last, whatever the direction.
    static func sorted(_ rows: [ExperimentRow], by keys: [(field: String, descending: Bool)]) -> [ExperimentRow] {
        // Each row's keys are read once, and indices are sorted rather than rows (cheaper to move).
        let keyed: [[JSONValue?]] = rows.map { row in keys.map { row.sortValue(of: $0.field) } }
        let order = rows.indices.sorted { left, right in
            for (position, key) in keys.enumerated() {
                switch (keyed[left][position], keyed[right][position]) {
                case (nil, nil): continue
                case (nil, _): return false
                case (_, nil): return true
                case let (a?, b?):
                    if RunFilter.compare(a, b, .equal, field: key.field) { continue }
                    let less = RunFilter.compare(a, b, .less, field: key.field)
                        || (!RunFilter.compare(b, a, .less, field: key.field) && a.displayText < b.displayText)
                    return key.descending ? !less : less
                }
            }
            return rows[left].summary.experiment < rows[right].summary.experiment
        }
        return order.map { rows[$0] }
    }

    /// The terminal's width when standard output is one (or `COLUMNS`), nil when output goes to a file or pipe.
    static func terminalWidth() -> Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 { return columns }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return nil }
        return Int(size.ws_col)
    }

    /// Drops columns, least telling first, until the table fits `width`; returns what was left out.
    /// - Parameter lineWidth: the widest line a table of these columns prints.
    static func fit(_ columns: [String], lineWidth: ([String]) -> Int, width: Int) -> (kept: [String], dropped: [String]) {
        var kept = columns
        var dropped: [String] = []
        let order = ["note", "tag", "checks", "run_key", "model", "dataset", "line", "date"]
        func tooWide() -> Bool { lineWidth(kept) > width }
        while tooWide() {
            // First the fixed columns in `order`, then parameters from the last, never the experiment or the first metric.
            if let next = order.first(where: kept.contains) {
                kept.removeAll { $0 == next }
                dropped.append(next)
            } else if let parameter = kept.dropFirst().last(where: { !headlineMetrics.contains($0) && $0 != "status" && !$0.hasPrefix("metrics.") }) {
                kept.removeAll { $0 == parameter }
                dropped.append(parameter)
            } else if kept.count > 2 {
                dropped.append(kept.removeLast())
            } else {
                break
            }
        }
        return (kept, dropped)
    }
}
