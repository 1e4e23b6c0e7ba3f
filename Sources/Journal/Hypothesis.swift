/// A hypothesis stated on a line of inquiry: its statement and its predictions, and the last
/// recorded verdict if any (`hypothesis.md`, `predictions.json`, `verdict.json` in the branch's tree).
public struct Hypothesis: Sendable {
    public let name: String
    public let statement: String
    public let predictions: [Prediction]
    /// The canonical JSON of the last `xj verdict`, if one was recorded.
    public let verdict: JSONValue?

    /// `open` until a verdict is recorded, then the verdict's status (supported, falsified, mixed, open).
    public var status: String { verdict?["status"]?.stringValue ?? "open" }

    /// The `predictions.json` value.
    public static func predictionsJSON(_ predictions: [Prediction]) -> JSONValue {
        ["predictions": .array(predictions.map(\.json))]
    }
}
