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

    public init(epoch: Int, trainLoss: Double, validationLoss: Double, trainAccuracy: Double? = nil, validationAccuracy: Double? = nil,
                validationMAE: Double? = nil, validationR2: Double? = nil, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        self.validationMAE = validationMAE
        self.validationR2 = validationR2
        self.seconds = seconds
    }
}
