import Foundation
import JournalStore

/// One line of the experiment table (`xj runs`): an experiment's summary with where it is recorded,
/// its dataset's name, its tags and its note.
public struct ExperimentRow: Sendable {
    public let summary: ExperimentSummary
    /// Refs whose tree holds it (`refs/heads/main`, `refs/remotes/origin/main`, a stage).
    public let references: [String]
    public let datasetName: String?
    public let tags: [String]
    public let note: String?

    public init(summary: ExperimentSummary, references: [String], datasetName: String?, tags: [String], note: String?) {
        self.summary = summary
        self.references = references
        self.datasetName = datasetName
        self.tags = tags
        self.note = note
    }

    /// The fields every row has, besides its parameters and metrics.
    public static let fixedFields = ["experiment", "run_key", "date", "line", "dataset", "model", "status", "checks", "tag", "note"]

    /// `main`, `origin/main`, `the stage of main`.
    public var lines: [String] { references.map(RunIndexEntry.shortName) }

    /// UTC, to the second: `2026-11-28T09:14:03Z` (empty when the run recorded no start).
    public var date: String {
        guard summary.started > 0 else { return "" }
        return Self.formatter.string(from: Date(timeIntervalSince1970: summary.started))
    }

    /// One formatter for every row (making one costs more than formatting a date).
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()

    /// The dataset's name, or its tree's short id when no line names it.
    public var datasetText: String {
        if let datasetName { return datasetName }
        return summary.dataset.map { String($0.hex.prefix(7)) } ?? "-"
    }

    /// A field's values in this row: one for most, one per line or tag, none when it has no such field.
    /// `params.NAME` and `metrics.NAME` pick a parameter or a metric; a bare name is a fixed field, then
    /// a metric, then a parameter.
    /// The value `--sort` orders by: as `values(of:)`, but a date as its number of seconds.
    public func sortValue(of field: String) -> JSONValue? {
        field == "date" ? (summary.started > 0 ? .number(summary.started) : nil) : values(of: field).first
    }

    public func values(of field: String) -> [JSONValue] {
        switch field {
        case "experiment", "id": return [.string(summary.experiment.hex)]
        case "run_key": return [.string(summary.runKey.hex)]
        case "date": return summary.started > 0 ? [.string(date)] : []
        case "line", "branch": return lines.map(JSONValue.string)
        case "dataset": return summary.dataset == nil ? [] : [.string(datasetText)]
        case "model": return [.string(summary.model)]
        case "status": return [.string(summary.status)]
        case "checks": return [.string(summary.flaggedChecks.isEmpty ? "ok" : summary.flaggedChecks)]
        case "tag", "tags": return tags.map(JSONValue.string)
        case "note": return note.map { [.string($0)] } ?? []
        default: break
        }
        if field.hasPrefix("params.") { return summary.params[String(field.dropFirst(7))].map { [$0] } ?? [] }
        if field.hasPrefix("metrics.") { return summary.metrics[String(field.dropFirst(8))].map { [.number($0)] } ?? [] }
        if let metric = summary.metrics[field] { return [.number(metric)] }
        return summary.params[field].map { [$0] } ?? []
    }

    /// `xj runs --json`'s object for the row.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "experiment": .string(summary.experiment.hex), "run_key": .string(summary.runKey.hex),
            "lines": .array(lines.map(JSONValue.string)), "model": .string(summary.model), "status": .string(summary.status),
            "params": .object(summary.params), "metrics": .object(summary.metrics.mapValues { $0.isFinite ? .number($0) : .null }),
            "checks": .string(summary.flaggedChecks), "tags": .array(tags.map(JSONValue.string)),
            "dataset": summary.dataset == nil ? .null : .string(datasetText),
            "dataset_id": summary.dataset.map { .string($0.hex) } ?? .null,
            "date": summary.started > 0 ? .string(date) : .null, "note": note.map(JSONValue.string) ?? .null,
        ]
        if let command = summary.command { members["command"] = .array(command.map(JSONValue.string)) }
        return .object(members)
    }
}
