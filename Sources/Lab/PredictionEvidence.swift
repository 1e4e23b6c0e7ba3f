/// The test behind a prediction's decision, whatever its kind: its name, both one-sided p-values and
/// the one-sided bounds at 1 − α on left − right − margin.
public struct PredictionEvidence: Sendable {
    /// "Welch t-test", "paired t-test", "one-sample t-test", "bootstrap test of the median", …
    public let name: String
    /// p of "left is below right + margin", and of "left is above".
    public let pLess: Double
    public let pGreater: Double
    /// left − right − margin (for prob(…): the probability − the threshold).
    public let difference: Double
    public let upperBound: Double
    public let lowerBound: Double
    /// For t-tests.
    public var t: Double? = nil
    public var degreesOfFreedom: Double? = nil
}
