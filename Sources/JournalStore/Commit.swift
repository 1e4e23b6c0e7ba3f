/// A commit read from the store: its tree, parents, author and message.
public struct Commit: Hashable, Sendable {
    public let id: CommitID
    public let tree: TreeID
    public let parents: [CommitID]
    public let author: Signature
    public let message: String
}
