import Foundation

/// Test log-likelihood of regression predictions under a homoscedastic Gaussian with precision τ
/// (Gal & Ghahramani 2016, §5.1), in the target's original units.
public enum GaussianLikelihood {
    /// One prediction per point: mean over points of −½ τ (y − ŷ)² − ½ log 2π + ½ log τ.
    public static func standard(predictions: [Double], targets: [Double], tau: Double) -> Double {
        precondition(predictions.count == targets.count && !targets.isEmpty)
        var total = 0.0
        for (prediction, target) in zip(predictions, targets) { total += -0.5 * tau * (target - prediction) * (target - prediction) }
        return total / Double(targets.count) - 0.5 * log(2 * Double.pi) + 0.5 * log(tau)
    }

    /// A running log-sum-exp of −½ τ (y − ŷ_t)² over T stochastic passes, one per point, so the MC
    /// log-likelihood needs O(points) memory however many passes are made.
    public struct MonteCarlo: Sendable {
        public let tau: Double
        public let targets: [Double]
        private var maxima: [Double]
        private var sums: [Double]
        public private(set) var passes = 0

        public init(targets: [Double], tau: Double) {
            self.tau = tau
            self.targets = targets
            maxima = [Double](repeating: -.infinity, count: targets.count)
            sums = [Double](repeating: 0, count: targets.count)
        }

        /// Adds pass t's prediction for point `index`; call `finishPass` after each pass.
        public mutating func add(_ prediction: Double, at index: Int) {
            let term = -0.5 * tau * (targets[index] - prediction) * (targets[index] - prediction)
            if term > maxima[index] {
                sums[index] = sums[index] * exp(maxima[index] - term) + 1
                maxima[index] = term
            } else {
                sums[index] += exp(term - maxima[index])
            }
        }

        public mutating func finishPass() { passes += 1 }

        /// Mean over points of logsumexp_t(−½ τ (y − ŷ_t)²) − log T − ½ log 2π + ½ log τ: the log density of
        /// the mixture of T Gaussians centred on the passes, each with variance 1/τ.
        public var value: Double {
            precondition(passes > 0 && !targets.isEmpty)
            var total = 0.0
            for index in targets.indices { total += maxima[index] + log(sums[index]) }
            return total / Double(targets.count) - log(Double(passes)) - 0.5 * log(2 * Double.pi) + 0.5 * log(tau)
        }
    }
}
