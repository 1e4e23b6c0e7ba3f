import Foundation
import JournalStore

/// A commit of the journal as `xj log` and `xj show` present it.
public struct JournalRecord: Sendable {
    public let commit: Commit
    /// Branches whose tip is this commit.
    public let branches: [String]
    /// What the commit recorded, compared with its first parent.
    public let changes: [RecordChange]
    /// The status of the hypothesis its tree states (open, supported, falsified, mixed), if any.
    public let hypothesisStatus: String?

    /// A short phrase such as "+dataset digits, +params baseline, +3 experiments".
    public var changeSummary: String {
        var parts: [String] = []
        var experiments: [RecordChange.Kind: Int] = [:]
        for change in changes {
            let sign = change.kind == .added ? "+" : change.kind == .removed ? "-" : "~"
            switch change.record.category {
            case JournalLayout.experiments: experiments[change.kind, default: 0] += 1
            case JournalLayout.datasets: parts.append(sign + "dataset " + change.record.name)
            case JournalLayout.params: parts.append(sign + "params " + change.record.name)
            default: parts.append(sign + change.record.path)
            }
        }
        for kind in [RecordChange.Kind.added, .changed, .removed] {
            if let count = experiments[kind] {
                let sign = kind == .added ? "+" : kind == .removed ? "-" : "~"
                parts.append("\(sign)\(count) experiment\(count == 1 ? "" : "s")")
            }
        }
        return parts.joined(separator: ", ")
    }

    public var json: JSONValue {
        .object([
            "id": .string(commit.id.hex),
            "tree": .string(commit.tree.hex),
            "parents": .array(commit.parents.map { .string($0.hex) }),
            "author": .string(commit.author.name),
            "email": .string(commit.author.email),
            "date": .string(ISO8601DateFormatter().string(from: commit.author.date)),
            "message": .string(commit.message),
            "branches": .array(branches.map(JSONValue.string)),
            "changes": .array(changes.map(\.json)),
            "hypothesis_status": hypothesisStatus.map(JSONValue.string) ?? .null,
        ])
    }
}
