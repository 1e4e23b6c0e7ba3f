import JournalStore

/// What `xj add` did with a file: the record's path, its object, and whether it was new.
public struct AddedRecord: Sendable {
    public enum Outcome: String, Sendable {
        /// Staged for the next commit.
        case staged
        /// The same object is already recorded (committed or staged) under this name.
        case unchanged
    }

    public let kind: String
    public let name: String
    public let path: String
    public let id: ObjectID
    public let outcome: Outcome
    /// The dataset's manifest, for datasets.
    public let manifest: DatasetManifest?
    /// The parameters, for parameter sets.
    public let parameters: ParameterSet?

    public var json: JSONValue {
        var members: [String: JSONValue] = ["kind": .string(kind), "name": .string(name), "path": .string(path),
                                            "id": .string(id.hex), "outcome": .string(outcome.rawValue)]
        if let manifest { members["manifest"] = manifest.json }
        if let parameters { members["params"] = .object(parameters.values) }
        return .object(members)
    }
}
