import JournalStore

/// A parameter set read back from the journal.
public struct ParameterSetRecord: Sendable {
    public let name: String?
    public let id: BlobID
    public let parameters: ParameterSet

    public var json: JSONValue {
        var members: [String: JSONValue] = ["kind": "params", "id": .string(id.hex), "params": .object(parameters.values)]
        if let name { members["name"] = .string(name) }
        return .object(members)
    }
}
