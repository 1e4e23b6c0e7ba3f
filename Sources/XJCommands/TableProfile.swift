import Foundation
import Journal

/// What the default experiment table needs from every summary of a scope, without holding the rows:
/// which parameters vary, which metrics exist, whether any row has a dataset or flagged checks, and
/// each column's widest cell. It lets `xj runs` choose its columns and widths and then print rows as
/// it decodes them, so `xj runs | head` of 100,000 experiments reads a few summaries, not all.
///
/// It folds one summary at a time, so a scope that gained experiments is brought up to date from the
/// new ones alone. `covered` says exactly which experiments it describes (their ids' first 8 bytes);
/// a scope that lost any is profiled again from scratch. Stored by `TableProfileStore`.
struct TableProfile {
    /// A parameter over the rows: its first value, whether another differs, how many rows have it,
    /// and its widest cell.
    struct Parameter: Equatable {
        var first: JSONValue
        var varies = false
        var present = 0
        var width = 0
    }

    /// A metric over the rows: how many have it, and its widest cell.
    struct Metric: Equatable {
        var present = 0
        var width = 0
    }

    /// The experiments described, as their ids' first 8 bytes, ascending.
    var covered: [UInt64] = []
    var rows = 0
    var parameters: [String: Parameter] = [:]
    var metrics: [String: Metric] = [:]
    /// The distinct datasets of the rows that name one.
    var datasets: Set<ObjectID> = []
    var modelWidth = 0
    var statusWidth = 0
    /// The widest flagged-checks cell; 0 when no row has one.
    var checksWidth = 0

    /// Adds one row's summary (its id to `covered` is the caller's, which merges them in order).
    mutating func add(_ summary: ExperimentSummary) {
        rows += 1
        for (name, value) in summary.params where name != "model" {
            let width = ExperimentTable.valueCell(value, isMetric: false).count
            if var known = parameters[name] {
                if !known.varies && known.first != value { known.varies = true }
                known.present += 1
                known.width = max(known.width, width)
                parameters[name] = known
            } else {
                parameters[name] = Parameter(first: value, present: 1, width: width)
            }
        }
        for (name, value) in summary.metrics {
            var known = metrics[name] ?? Metric()
            known.present += 1
            known.width = max(known.width, ExperimentTable.valueCell(.number(value), isMetric: true).count)
            metrics[name] = known
        }
        if let dataset = summary.dataset { datasets.insert(dataset) }
        modelWidth = max(modelWidth, summary.model.count)
        statusWidth = max(statusWidth, summary.status.count)
        if !summary.flaggedChecks.isEmpty { checksWidth = max(checksWidth, summary.flaggedChecks.count, 2) }
    }

    /// Whether the table's cells follow from this profile alone: no parameter or metric shares its
    /// name with a fixed field, with the other kind, or spells a kind out (`params.`), since such
    /// columns read another field than the name says.
    var describesEveryColumn: Bool {
        let fixed = Set(ExperimentRow.fixedFields + ["id", "branch", "tags"])
        let names = Array(parameters.keys) + Array(metrics.keys)
        return !names.contains { fixed.contains($0) || $0.hasPrefix("params.") || $0.hasPrefix("metrics.") }
            && Set(parameters.keys).isDisjoint(with: metrics.keys)
    }

    /// Parameters that vary among the rows or that some rows lack (as `ExperimentTable.varyingParameters`).
    var varyingParameters: [String] {
        parameters.filter { $0.value.varies || $0.value.present < rows }.keys.sorted()
    }

    /// The headline metrics present; when none is, up to three of the others (as `ExperimentTable.shownMetrics`).
    var shownMetrics: [String] {
        let headline = ExperimentTable.headlineMetrics.filter { metrics[$0] != nil }
        return headline.isEmpty ? Array(metrics.keys.sorted().prefix(3)) : headline
    }

    /// The widest cell of a parameter, metric or summary field column, headings aside; nil for a
    /// column that depends on more than summaries (date, line, dataset, tags).
    func width(of column: String) -> Int? {
        if let parameter = parameters[column] { return max(parameter.width, parameter.present < rows ? 1 : 0) }
        if let metric = metrics[column] { return max(metric.width, metric.present < rows ? 1 : 0) }
        switch column {
        case "experiment": return 7
        case "model": return modelWidth
        case "status": return statusWidth
        case "checks": return max(checksWidth, 2)
        default: return nil
        }
    }
}
