import Foundation
import JournalStore

/// A branch as `xj branch` lists it.
public struct LineOfInquiry: Sendable {
    public let name: String
    public let tip: Commit?
    public let isCurrent: Bool
    /// open, supported, falsified or mixed for a line that states a hypothesis; nil otherwise.
    public var hypothesisStatus: String? = nil

    public var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "current": .bool(isCurrent),
                                            "status": hypothesisStatus.map(JSONValue.string) ?? .null]
        if let tip {
            members["head"] = .string(tip.id.hex)
            members["date"] = .string(ISO8601DateFormatter().string(from: tip.author.date))
            members["message"] = .string(tip.message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return .object(members)
    }
}
