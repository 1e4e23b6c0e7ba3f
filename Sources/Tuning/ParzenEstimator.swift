import Foundation

/// A one-dimensional Parzen estimator over a bounded range: a mixture of Gaussians truncated to the
/// range, one at each observation plus a wide prior component at the centre (Bergstra et al. 2011;
/// bandwidths as Optuna's defaults: each component's σ is the larger gap to its sorted neighbours,
/// clipped to [range/min(100, n + 1), range], the prior's σ the whole range).
struct ParzenEstimator {
    let low: Double
    let high: Double
    let means: [Double]
    let sigmas: [Double]
    let weights: [Double]

    init(observations: [Double], low: Double, high: Double, priorWeight: Double = 1) {
        self.low = low
        self.high = high
        let range = high - low
        var means = observations + [(low + high) / 2]
        var sigmas = [Double](repeating: range, count: means.count)
        let order = means.indices.sorted { means[$0] < means[$1] }
        let sorted = order.map { means[$0] }
        let minimum = range / min(100, Double(means.count) + 1)
        for (rank, index) in order.enumerated() {
            let left = rank > 0 ? sorted[rank] - sorted[rank - 1] : sorted[rank] - low
            let right = rank < sorted.count - 1 ? sorted[rank + 1] - sorted[rank] : high - sorted[rank]
            sigmas[index] = min(max(max(left, right), minimum), range)
        }
        sigmas[means.count - 1] = range
        means = means.map { min(max($0, low), high) }
        self.means = means
        self.sigmas = sigmas
        let raw = [Double](repeating: 1, count: observations.count) + [priorWeight]
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
    }

    /// log p(x) of the truncated mixture.
    func logDensity(_ x: Double) -> Double {
        var total = 0.0
        for index in means.indices {
            let sigma = sigmas[index]
            let mass = Self.normalCDF((high - means[index]) / sigma) - Self.normalCDF((low - means[index]) / sigma)
            let z = (x - means[index]) / sigma
            total += weights[index] * exp(-0.5 * z * z) / (sigma * (2 * Double.pi).squareRoot() * max(mass, 1e-300))
        }
        return log(max(total, 1e-300))
    }

    /// A draw: a component by weight, then a Gaussian draw redrawn until it falls in the range.
    func sample<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
        var pick = Double.random(in: 0..<1, using: &generator), index = 0
        while index < weights.count - 1, pick >= weights[index] { pick -= weights[index]; index += 1 }
        for _ in 0..<100 {
            let u = 1 - Double.random(in: 0..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            let x = means[index] + sigmas[index] * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
            if x >= low && x <= high { return x }
        }
        return Double.random(in: low...high, using: &generator)
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}
