/// A hypothesis stated on a line of inquiry: its statement and its predictions, and the last
/// recorded verdict if any (`hypothesis.md`, `predictions.json`, `verdict.json` in the branch's tree).
public struct Hypothesis: Sendable {
    public let name: String
    public let statement: String
    public let predictions: [Prediction]
    /// The canonical JSON of the last `xj verdict`, if one was recorded.
    public let verdict: JSONValue?
    /// Stated with `--sequential`: verdicts use the always-valid sequential test, so the hypothesis
    /// may be judged after every batch of runs.
    public var sequential = false

    public init(name: String, statement: String, predictions: [Prediction], verdict: JSONValue?, sequential: Bool = false) {
        self.name = name
        self.statement = statement
        self.predictions = predictions
        self.verdict = verdict
        self.sequential = sequential
    }

    /// The numbers of experiments earlier recorded verdicts were drawn from, oldest first.
    public var looks: [Int] {
        guard let verdict else { return [] }
        if let looks = verdict["looks"]?.arrayValue { return looks.compactMap { $0.numberValue.map { Int($0) } } }
        return [verdict["experiments"]?.numberValue.map { Int($0) } ?? 0]
    }

    /// `open` until a verdict is recorded, then the verdict's status (supported, falsified, mixed, open).
    public var status: String { verdict?["status"]?.stringValue ?? "open" }

    /// The `predictions.json` value (`sequential` only when set, so older files read the same).
    public static func predictionsJSON(_ predictions: [Prediction], sequential: Bool = false) -> JSONValue {
        var members: [String: JSONValue] = ["predictions": .array(predictions.map(\.json))]
        if sequential { members["sequential"] = true }
        return .object(members)
    }
}
