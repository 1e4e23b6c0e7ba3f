import Journal

/// How one prediction fared against the recorded experiments, with the numbers behind it.
public struct PredictionResult: Sendable {
    /// `ambiguous`: the groups pool or differ in conditions the prediction does not pin, so it was not judged.
    public enum Status: String, Sendable { case supported, falsified, inconclusive, ambiguous }

    public let prediction: Prediction
    public let status: Status
    /// Why, in words: the test used, or what is missing.
    public let reason: String
    public let countLeft: Int
    public let countRight: Int
    /// The aggregate of each side (`right` without the margin: for `… < mean(b) - 0.01` it is mean(b)).
    public let left: Double?
    public let right: Double?
    /// What the prediction adds to the right side (`- 0.01` is −0.01); 0 for a number.
    public var margin: Double = 0
    /// The Welch (or one-sample) t-test, when each side had at least two runs and the aggregate is a mean.
    public let test: WelchTest?
    /// Runs per side that would be needed to decide, when the test was inconclusive.
    public let runsNeeded: Int?
    /// The significance level it was judged at.
    public var alpha: Double = 0.05

    /// Whether the direction that decided (or, when nothing decided, the stated one) says left is below right.
    public var decidingBelow: Bool {
        status == .falsified ? !prediction.comparison.expectsBelow : prediction.comparison.expectsBelow
    }

    /// p of the stated direction and of the opposite one.
    public var pStated: Double? { test.map { prediction.comparison.expectsBelow ? $0.pLess : $0.pGreater } }
    public var pOpposite: Double? { test.map { prediction.comparison.expectsBelow ? $0.pGreater : $0.pLess } }

    /// The one-sided bound on left − right (margin not subtracted) in the deciding direction, at 1 − α:
    /// it matches the test, so it excludes the margin exactly when the test rejects.
    public var bound: Double? { test.map { $0.oneSidedBound(alpha: alpha, upper: decidingBelow) + margin } }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "prediction": .string(prediction.text), "status": .string(status.rawValue), "reason": .string(reason),
            "n_left": .number(Double(countLeft)), "n_right": .number(Double(countRight)), "margin": .number(margin),
        ]
        if let left { members["left"] = .number(left) }
        if let right { members["right"] = .number(right) }
        if let test, let bound, let pStated, let pOpposite {
            members["difference"] = .number(test.difference + margin)
            members["bound"] = ["level": .number(1 - alpha), "side": .string(decidingBelow ? "upper" : "lower"), "value": .number(bound)]
            members["t"] = test.t.isFinite ? .number(test.t) : .string(test.t > 0 ? "inf" : "-inf")
            members["df"] = .number(test.degreesOfFreedom)
            members["p"] = .number(pStated)
            members["p_opposite"] = .number(pOpposite)
        }
        if let runsNeeded { members["runs_needed_per_side"] = .number(Double(runsNeeded)) }
        return .object(members)
    }

    /// The numbers as lines for a terminal: both sides with n, the margin, the difference with its
    /// one-sided bound, t, df, and both directions' p-values, labelled.
    public var lines: [String] {
        func number(_ value: Double) -> String { String(format: "%.4g", value) }
        let aggregate = prediction.left.aggregate.rawValue
        guard let left else { return ["n = \(countLeft)" + (countRight > 0 ? " + \(countRight)" : "")] }
        var sides = "left: \(aggregate) \(number(left)) (n=\(countLeft))"
        if case let .side(side, _) = prediction.right, let right {
            sides += "   right: \(side.aggregate.rawValue) \(number(right)) (n=\(countRight))"
            if margin != 0 { sides += "   margin: \(margin > 0 ? "+" : "−")\(number(abs(margin)))" }
        } else if let right {
            sides += "   compared with \(number(right))"
        }
        var lines = [sides]
        if let test, let bound, let pStated, let pOpposite {
            let name = countRight > 0 ? "left − right" : "left − \(number(right ?? 0))"
            let shownDifference = test.difference + margin
            let level = Int(((1 - alpha) * 100).rounded())
            lines.append("\(name) = \(number(shownDifference)); one-sided \(level)% bound: \(name) \(decidingBelow ? "<" : ">") \(number(bound))")
            let stated = prediction.comparison.rawValue
            let opposite = prediction.comparison.expectsBelow ? ">" : "<"
            let t = test.t.isFinite ? String(format: "%.3g", test.t) : (test.t > 0 ? "∞" : "−∞")
            lines.append("t = \(t), df = \(String(format: "%.1f", test.degreesOfFreedom)); p(\(stated), as predicted) = \(PValueFormat.text(pStated, alpha: alpha)); " +
                         "p(\(opposite), the opposite) = \(PValueFormat.text(pOpposite, alpha: alpha))")
        }
        return lines
    }
}
