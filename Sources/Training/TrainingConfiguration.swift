/// Everything that decides what a training run computes, as plain values.
public struct TrainingConfiguration: Sendable, Equatable {
    public enum Normalization: String, CaseIterable, Sendable { case standard, minmax, none }

    /// Hidden layer sizes; empty for a linear model.
    public var hidden: [Int] = []
    public var activation: Activation = .relu
    public var dropout: Float = 0
    public var initialization: Initialization = .he
    public var optimizer: Optimizer.Kind = .adam
    public var learningRate: Float = 0.001
    public var momentum: Float = 0.9
    public var weightDecay: Float = 0
    public var epochs = 20
    public var batchSize = 32
    public var seed: UInt64 = 0
    public var normalization: Normalization = .standard
    /// Stop when the validation loss has not improved for this many epochs (0: never), keeping the best weights.
    public var patience = 0
    /// Monte-Carlo dropout passes at prediction time (0: off).
    public var monteCarloSamples = 0
    /// Dropout on the input features (mlp).
    public var inputDropout: Float = 0
    /// Regression: the precision τ of the Gaussian likelihood; enables the log-likelihood metrics.
    public var tau: Double? = nil
    /// Regression: the prior length-scale ℓ; with τ it sets the weight decay
    /// λ = ℓ²(1 − p)/(N τ) (p the dropout rate, N the training rows), in place of `weightDecay`.
    public var priorLengthscale: Double? = nil
    /// Regression: train on standardised targets ((y − mean)/sd of the training rows); predictions and
    /// every metric stay in the target's units.
    public var standardizeTargets = false

    /// The weight decay training uses for `trainingRows` rows: `weightDecay`, or the one the prior implies.
    public func effectiveWeightDecay(trainingRows: Int) -> Float {
        guard let lengthscale = priorLengthscale, let tau else { return weightDecay }
        return Float(lengthscale * lengthscale * Double(1 - dropout) / (Double(max(trainingRows, 1)) * tau))
    }

    public init() {}
}
