/// A machine-checkable prediction: `AGG(metric | key=value, …) OP AGG(metric | …) [± margin]`,
/// `AGG(metric | …) OP number`, or on the probability of improvement
/// `prob(metric | key=value, … < key=value, …) OP number` (the chance that a run of the first group
/// has a lower metric than a run of the second).
public struct Prediction: Hashable, Sendable {
    /// `iqm` is the interquartile (25 % trimmed) mean; `prob` only appears in `prob(…)` predictions.
    public enum Aggregate: String, CaseIterable, Sendable { case mean, median, iqm, min, max, std, prob

        /// The aggregates a side may use (`prob` has its own form).
        public static let sideAggregates: [Aggregate] = [.mean, .median, .iqm, .min, .max, .std]
    }

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

        /// The number, for `.number`.
        public var number: Double? {
            if case let .number(value) = self { return value }
            return nil
        }
    }

    /// The second group of a `prob(metric | A < B)` prediction, and whether it says A below B.
    public struct Versus: Hashable, Sendable {
        public let side: Side
        public let below: Bool
    }

    /// The text as the researcher wrote it.
    public let text: String
    public let left: Side
    public let comparison: Comparison
    public let right: Right
    /// Set for `prob(…)` predictions: `left` is group A, this is group B, `right` the threshold.
    public var versus: Versus? = nil

    public init(text: String, left: Side, comparison: Comparison, right: Right, versus: Versus? = nil) {
        self.text = text
        self.left = left
        self.comparison = comparison
        self.right = right
        self.versus = versus
    }

    /// Every side the prediction selects experiments with: left, then the right side or `versus`.
    public var sides: [Side] {
        if let versus { return [left, versus.side] }
        if case let .side(side, _) = right { return [left, side] }
        return [left]
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["text": .string(text), "left": left.json, "comparison": .string(comparison.rawValue)]
        switch right {
        case let .side(side, margin):
            members["right"] = side.json
            members["margin"] = .number(margin)
        case let .number(value):
            members["value"] = .number(value)
        }
        if let versus {
            members["versus"] = versus.side.json
            members["versus_comparison"] = .string(versus.below ? "<" : ">")
        }
        return .object(members)
    }
}
