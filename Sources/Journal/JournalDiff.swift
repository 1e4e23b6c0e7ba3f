import JournalStore

/// What differs between two revisions of the journal (`xj diff A B`).
public struct JournalDiff: Sendable {
    public let from: CommitID
    public let to: CommitID
    /// Datasets and parameter sets, with key-by-key differences.
    public let records: [RecordDifference]
    /// Experiments and any other records, by path.
    public let others: [RecordChange]

    public var isEmpty: Bool { records.isEmpty && others.isEmpty }

    public var json: JSONValue {
        .object([
            "from": .string(from.hex), "to": .string(to.hex),
            "records": .array(records.map(\.json)),
            "others": .array(others.map(\.json)),
        ])
    }
}
