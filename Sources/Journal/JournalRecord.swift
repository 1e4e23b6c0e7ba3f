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

    /// The summary xj wrote into the commit's `Recorded:` trailer, when there is one.
    public let recordedTrailer: String?

    /// The trailer that `xj commit` appends to a note: "Recorded: +dataset digits, +3 experiments".
    public static let trailerPrefix = "Recorded: "

    /// The researcher's note: the message without xj's trailer.
    public var note: String {
        let message = commit.message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard recordedTrailer != nil, let range = message.range(of: "\n\n" + Self.trailerPrefix, options: .backwards) else { return message }
        return String(message[..<range.lowerBound])
    }

    /// Splits a commit message into the note and xj's `Recorded:` trailer.
    static func trailer(of message: String) -> String? {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let range = trimmed.range(of: "\n\n" + trailerPrefix, options: .backwards) else { return nil }
        let value = trimmed[range.upperBound...]
        return value.contains("\n") ? nil : String(value)
    }

    /// A short phrase such as "+dataset digits, +params baseline, +3 experiments": the trailer when the
    /// commit has one, else computed from `changes`.
    public var changeSummary: String { recordedTrailer ?? Self.summary(changes) }

    /// The phrase for a list of changes.
    public static func summary(_ changes: [RecordChange]) -> String {
        var parts: [String] = []
        var experiments: [RecordChange.Kind: Int] = [:]
        for change in changes {
            let sign = change.kind == .added ? "+" : change.kind == .removed ? "-" : "~"
            switch change.record.category {
            case JournalLayout.experiments: experiments[change.kind, default: 0] += 1
            case JournalLayout.datasets: parts.append(sign + "dataset " + change.record.name)
            case JournalLayout.params: parts.append(sign + "params " + change.record.name)
            case JournalLayout.tags:
                let components = change.record.path.split(separator: "/")
                parts.append(sign + "tag " + (components.count == 3 ? components[1].prefix(7) + " " + components[2] : change.record.path[...]))
            case JournalLayout.notes: parts.append(sign + "note " + change.record.name.prefix(7))
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
            "note": .string(note),
            "recorded": .string(changeSummary),
            "branches": .array(branches.map(JSONValue.string)),
            "changes": .array(changes.map(\.json)),
            "hypothesis_status": hypothesisStatus.map(JSONValue.string) ?? .null,
        ])
    }
}
