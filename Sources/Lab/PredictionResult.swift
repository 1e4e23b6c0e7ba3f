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
    /// The aggregates compared (the right one includes the margin).
    public let left: Double?
    public let right: Double?
    /// The Welch (or one-sample) t-test, when each side had at least two runs and the aggregate is a mean.
    public let test: WelchTest?
    /// Runs per side that would be needed to decide, when the test was inconclusive.
    public let runsNeeded: Int?

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "prediction": .string(prediction.text), "status": .string(status.rawValue), "reason": .string(reason),
            "n_left": .number(Double(countLeft)), "n_right": .number(Double(countRight)),
        ]
        if let left { members["left"] = .number(left) }
        if let right { members["right"] = .number(right) }
        if let test {
            members["difference"] = .number(test.difference)
            members["ci95"] = [.number(test.confidenceLow), .number(test.confidenceHigh)]
            members["t"] = test.t.isFinite ? .number(test.t) : .string(test.t > 0 ? "inf" : "-inf")
            members["df"] = .number(test.degreesOfFreedom)
            members["p"] = .number(prediction.comparison.expectsBelow ? test.pLess : test.pGreater)
        }
        if let runsNeeded { members["runs_needed_per_side"] = .number(Double(runsNeeded)) }
        return .object(members)
    }
}
