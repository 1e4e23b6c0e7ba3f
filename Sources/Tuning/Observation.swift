/// A finished trial: its parameters and the loss to minimise (`.infinity` for a failed or diverged
/// run, which counts as bad and is never suggested again).
public struct Observation: Sendable {
    public let parameters: [String: TrialValue]
    public let loss: Double

    public init(parameters: [String: TrialValue], loss: Double) {
        self.parameters = parameters
        self.loss = loss.isNaN ? .infinity : loss
    }
}
