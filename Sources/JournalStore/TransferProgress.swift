/// Progress of a push, fetch or clone, as libgit2 reports it.
public struct TransferProgress: Sendable {
    /// Objects received (fetch, clone) or sent (push) so far, and in all.
    public let objects: Int
    public let totalObjects: Int
    public let bytes: Int
}
