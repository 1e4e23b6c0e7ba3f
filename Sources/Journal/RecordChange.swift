import JournalStore

/// A record that a commit added, replaced or removed, compared with its first parent.
public struct RecordChange: Hashable, Sendable {
    public enum Kind: String, Sendable { case added, changed, removed }

    public let kind: Kind
    public let record: JournalRecordPath

    public var json: JSONValue {
        .object(["change": .string(kind.rawValue), "path": .string(record.path), "id": .string(record.id.hex)])
    }
}
