/// The id of a git commit: an `ObjectID` that cannot be passed where another kind is wanted.
public struct CommitID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The untyped id.
    public let object: ObjectID

    /// Declares that `object` names a commit.
    public init(_ object: ObjectID) { self.object = object }

    public var hex: String { object.hex }
    public var short: String { object.short }
    public var description: String { object.hex }

    public static func < (lhs: CommitID, rhs: CommitID) -> Bool { lhs.object < rhs.object }
}
