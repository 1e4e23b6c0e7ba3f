/// What the fitted model expects of a suggested point, in the loss's units: why it was chosen.
public struct LossPrediction: Sendable, Equatable {
    /// The median predicted loss and a 90 % interval around it.
    public let loss: Double
    public let low: Double
    public let high: Double
    /// The chance that the point beats the best run so far, and by how much it is expected to
    /// (E[max(best − loss, 0)]): the expected improvement the point was chosen for.
    public let probabilityOfImprovement: Double
    public let expectedImprovement: Double

    public init(loss: Double, low: Double, high: Double, probabilityOfImprovement: Double, expectedImprovement: Double) {
        (self.loss, self.low, self.high) = (loss, low, high)
        (self.probabilityOfImprovement, self.expectedImprovement) = (probabilityOfImprovement, expectedImprovement)
    }

    /// The same prediction for the metric whose negation was the loss (a maximised metric).
    public var negated: LossPrediction {
        LossPrediction(loss: -loss, low: -high, high: -low, probabilityOfImprovement: probabilityOfImprovement, expectedImprovement: expectedImprovement)
    }
}
