import Foundation

/// Who made a commit and when, copied out of or into a `git_signature`.
public struct Signature: Hashable, Sendable {
    public let name: String
    public let email: String
    /// Seconds since 1970, as git stores them.
    public let time: Int64
    /// The author's offset from UTC in minutes.
    public let offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(time)) }
}
