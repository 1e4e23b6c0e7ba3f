import JournalStore

/// A dataset read back from the journal: its tree, data blob and manifest.
public struct DatasetRecord: Sendable {
    /// The name it has in the state it was found in; nil when found by id.
    public let name: String?
    public let id: TreeID
    public let data: BlobID
    public let manifest: DatasetManifest

    public var json: JSONValue {
        var members: [String: JSONValue] = ["kind": "dataset", "id": .string(id.hex), "data": .string(data.hex), "manifest": manifest.json]
        if let name { members["name"] = .string(name) }
        return .object(members)
    }
}
