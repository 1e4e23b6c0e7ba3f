/// One named entry of a git tree: a blob (file) or a subtree.
public struct TreeEntry: Hashable, Sendable {
    /// Whether the entry is a file or a folder.
    public enum Kind: Sendable, Hashable { case blob, tree }

    public let name: String
    public let kind: Kind
    public let id: ObjectID

    public init(name: String, kind: Kind, id: ObjectID) {
        self.name = name
        self.kind = kind
        self.id = id
    }

    /// A file entry (mode 100644).
    public static func blob(_ name: String, _ id: BlobID) -> TreeEntry { TreeEntry(name: name, kind: .blob, id: id.object) }
    /// A folder entry (mode 040000).
    public static func tree(_ name: String, _ id: TreeID) -> TreeEntry { TreeEntry(name: name, kind: .tree, id: id.object) }
}
