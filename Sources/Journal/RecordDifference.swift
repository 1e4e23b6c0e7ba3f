import JournalStore

/// A dataset or parameter set that differs between two states of the journal.
public struct RecordDifference: Sendable {
    public let change: RecordChange.Kind
    /// `dataset` or `params`.
    public let kind: String
    public let name: String
    public let oldID: ObjectID?
    public let newID: ObjectID?
    /// Key-by-key differences: parameters for a parameter set, manifest fields for a dataset.
    public let values: [ValueChange]

    public var json: JSONValue {
        .object([
            "change": .string(change.rawValue), "kind": .string(kind), "name": .string(name),
            "old": oldID.map { .string($0.hex) } ?? .null, "new": newID.map { .string($0.hex) } ?? .null,
            "values": .array(values.map(\.json)),
        ])
    }
}
