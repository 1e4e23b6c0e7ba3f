import Foundation

/// A Parzen estimator over every parameter at once (Optuna's multivariate TPE; Falkner, Klein & Hutter
/// 2018): one product kernel per observation plus a wide prior kernel, so that parameters that work
/// only together (a learning rate and a weight decay) are drawn together. Numbers get a truncated
/// Gaussian per dimension, σ by Scott's rule 0.2·n^(−1/(d+4))·range clipped to [range/min(100, n+2),
/// range] (the prior's σ is the range); categories get the observed choice plus the prior weight
/// spread over all choices.
struct JointParzenEstimator {
    /// The kernels' weights (the observations', then the prior's), summing to one.
    let weights: [Double]
    /// Per kernel, per dimension of `space`: the kernel's mean (numbers, in the estimator's space) or
    /// its choice probabilities (categories).
    let kernels: [[Kernel]]
    let space: [(String, SearchDimension)]

    enum Kernel {
        case gaussian(mean: Double, sigma: Double, low: Double, high: Double)
        case choices([Double])
    }

    init(observations: [Observation], space: [(String, SearchDimension)], priorWeight: Double) {
        self.space = space
        let n = observations.count, count = n + 1
        var kernels = [[Kernel]](repeating: [], count: count)
        for (name, dimension) in space {
            switch dimension {
            case let .categories(names):
                let spread = priorWeight / Double(count)
                for (index, observation) in observations.enumerated() {
                    var probabilities = [Double](repeating: spread, count: names.count)
                    if case let .category(chosen) = observation.parameters[name], let at = names.firstIndex(of: chosen) { probabilities[at] += 1 }
                    let total = probabilities.reduce(0, +)
                    kernels[index].append(.choices(probabilities.map { $0 / total }))
                }
                kernels[n].append(.choices([Double](repeating: 1 / Double(names.count), count: names.count)))
            case .number:
                let bounds = dimension.internalBounds!
                let range = bounds.high - bounds.low
                let scott = 0.2 * pow(Double(max(n, 1)), -1 / Double(space.count + 4)) * range
                let sigma = min(max(scott, range / min(100, Double(count) + 1)), range)
                let prior = Kernel.gaussian(mean: (bounds.low + bounds.high) / 2, sigma: range, low: bounds.low, high: bounds.high)
                for (index, observation) in observations.enumerated() {
                    if case let .number(value) = observation.parameters[name] {
                        let mean = min(max(dimension.internal(value), bounds.low), bounds.high)
                        kernels[index].append(.gaussian(mean: mean, sigma: sigma, low: bounds.low, high: bounds.high))
                    } else {
                        kernels[index].append(prior)
                    }
                }
                kernels[n].append(prior)
            }
        }
        self.kernels = kernels
        let raw = [Double](repeating: 1, count: n) + [priorWeight]
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
    }

    /// log p(point) in the estimator's space (numbers as `SearchDimension.internal` gives them).
    func logDensity(_ point: [Double]) -> Double {
        var terms = [Double]()
        terms.reserveCapacity(weights.count)
        for (index, kernel) in kernels.enumerated() {
            var total = log(weights[index])
            for (dimension, part) in kernel.enumerated() {
                switch part {
                case let .gaussian(mean, sigma, low, high):
                    let mass = ParzenEstimator.normalCDF((high - mean) / sigma) - ParzenEstimator.normalCDF((low - mean) / sigma)
                    let z = (point[dimension] - mean) / sigma
                    total += -0.5 * z * z - log(sigma * (2 * Double.pi).squareRoot() * max(mass, 1e-300))
                case let .choices(probabilities):
                    total += log(max(probabilities[Int(point[dimension])], 1e-300))
                }
            }
            terms.append(total)
        }
        let largest = terms.max() ?? -.infinity
        guard largest.isFinite else { return -1e300 }
        return largest + log(terms.reduce(0) { $0 + exp($1 - largest) })
    }

    /// A draw: a kernel by weight, then every dimension from it (numbers redrawn until in range;
    /// categories as their index).
    func sample<G: RandomNumberGenerator>(_ generator: inout G) -> [Double] {
        var pick = Double.random(in: 0..<1, using: &generator), index = 0
        while index < weights.count - 1, pick >= weights[index] { pick -= weights[index]; index += 1 }
        return kernels[index].map { part in
            switch part {
            case let .gaussian(mean, sigma, low, high):
                for _ in 0..<100 {
                    let u = 1 - Double.random(in: 0..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
                    let x = mean + sigma * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
                    if x >= low && x <= high { return x }
                }
                return Double.random(in: low...high, using: &generator)
            case let .choices(probabilities):
                var pick = Double.random(in: 0..<1, using: &generator), choice = 0
                while choice < probabilities.count - 1, pick >= probabilities[choice] { pick -= probabilities[choice]; choice += 1 }
                return Double(choice)
            }
        }
    }
}
