/// A path that both sides of a merge changed differently.
public struct TreeConflict: Hashable, Sendable {
    public let path: String
    /// The entry on each side (nil: deleted there).
    public let ours: ObjectID?
    public let theirs: ObjectID?
}
