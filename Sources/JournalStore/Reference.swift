/// A ref and the object it points at.
public struct Reference: Hashable, Sendable {
    /// The full name, e.g. `refs/heads/main`.
    public let name: String
    public let target: ObjectID

    public init(name: String, target: ObjectID) {
        self.name = name
        self.target = target
    }
}
