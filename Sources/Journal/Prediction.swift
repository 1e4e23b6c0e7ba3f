/// A machine-checkable prediction: `AGG(metric | key=value, …) OP AGG(metric | …) [± margin]`
/// or `AGG(metric | …) OP number`.
public struct Prediction: Hashable, Sendable {
    public enum Aggregate: String, CaseIterable, Sendable { case mean, median, min, max, std }

    public enum Comparison: String, CaseIterable, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        /// Whether the prediction says the left side is below the right.
        public var expectsBelow: Bool { self == .less || self == .lessOrEqual }

        public func holds(_ left: Double, _ right: Double) -> Bool {
            switch self {
            case .less: return left < right
            case .lessOrEqual: return left <= right
            case .greater: return left > right
            case .greaterOrEqual: return left >= right
            }
        }
    }

    /// One aggregated metric over the experiments that match a selector (all of them when it is empty).
    public struct Side: Hashable, Sendable {
        public let aggregate: Aggregate
        public let metric: String
        public let selector: [String: JSONValue]

        public var json: JSONValue {
            ["aggregate": .string(aggregate.rawValue), "metric": .string(metric), "selector": .object(selector)]
        }

        public var text: String {
            let keys = selector.keys.sorted(by: CanonicalJSON.precedes)
            let filter = keys.isEmpty ? "" : " | " + keys.map { "\($0)=\(selector[$0]!.displayText)" }.joined(separator: ", ")
            return "\(aggregate.rawValue)(\(metric)\(filter))"
        }
    }

    public enum Right: Hashable, Sendable {
        /// Another side, plus a margin added to it (`- 0.01` is a margin of −0.01).
        case side(Side, margin: Double)
        case number(Double)
    }

    /// The text as the researcher wrote it.
    public let text: String
    public let left: Side
    public let comparison: Comparison
    public let right: Right

    public var json: JSONValue {
        var members: [String: JSONValue] = ["text": .string(text), "left": left.json, "comparison": .string(comparison.rawValue)]
        switch right {
        case let .side(side, margin):
            members["right"] = side.json
            members["margin"] = .number(margin)
        case let .number(value):
            members["value"] = .number(value)
        }
        return .object(members)
    }
}
