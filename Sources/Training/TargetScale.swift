/// Standardisation of regression targets: training sees (y − offset)/scale, and outputs are mapped
/// back with y = output · scale + offset (the reference code of Gal & Ghahramani does the same).
public struct TargetScale: Sendable {
    public let offset: Float
    public let scale: Float

    /// The training targets' mean and population standard deviation (1 when they are constant).
    public init(fitting targets: [Float]) {
        let count = Double(targets.count)
        let mean = targets.reduce(0.0) { $0 + Double($1) } / count
        let variance = targets.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        offset = Float(mean)
        scale = variance > 0 ? Float(variance.squareRoot()) : 1
    }

    public func standardize(_ targets: inout [Float]) {
        for index in targets.indices { targets[index] = (targets[index] - offset) / scale }
    }

    public func restore(_ outputs: inout [Float]) {
        for index in outputs.indices { outputs[index] = outputs[index] * scale + offset }
    }
}
