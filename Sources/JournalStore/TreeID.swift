/// The id of a git tree: an `ObjectID` that cannot be passed where another kind is wanted.
public struct TreeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The untyped id.
    public let object: ObjectID

    /// Declares that `object` names a tree.
    public init(_ object: ObjectID) { self.object = object }

    public var hex: String { object.hex }
    public var short: String { object.short }
    public var description: String { object.hex }

    public static func < (lhs: TreeID, rhs: TreeID) -> Bool { lhs.object < rhs.object }
}
