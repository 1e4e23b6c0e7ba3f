/// A configured remote: its name and URL.
public struct Remote: Hashable, Sendable {
    public let name: String
    public let url: String
}
