/// The metrics of one epoch. Classification fills accuracy; regression fills mae and r2 (loss is the mse).
public struct EpochMetrics: Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var validationLoss: Double
    public var trainAccuracy: Double?
    public var validationAccuracy: Double?
    public var validationMAE: Double?
    public var validationR2: Double?
    public var seconds: Double
}
