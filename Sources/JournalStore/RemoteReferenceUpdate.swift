/// One compare-and-swap of a ref on a remote: move `name` to `target` (or delete it when `target` is
/// nil), but only if the remote still has `expected` there (nil: the ref must not exist yet).
public struct RemoteReferenceUpdate: Sendable {
    public let name: String
    public let target: ObjectID?
    public let expected: ObjectID?

    public init(name: String, target: ObjectID?, expected: ObjectID?) {
        self.name = name
        self.target = target
        self.expected = expected
    }
}
