import Foundation

/// The ideal bootstrap distribution (infinitely many resamples) of a linear statistic
/// θ = Σⱼ sⱼ · mean(sampleⱼ) + c, each sample resampled within itself, written down from its cumulants
/// instead of drawn. Used for means when every sample is large (`Bootstrap.expansionMinimum`): 10,000
/// resamples of 100,000 values draw 10⁹ indices (5 s), while the expansion below costs one pass and is
/// closer to the ideal bootstrap than those 10,000 resamples are.
///
/// With plug-in central moments m_k = (1/n) Σ (x − x̄)^k of each sample, the resampled statistic has
/// cumulants κ₂ = Σ m₂/n, κ₃ = Σ s m₃/n², κ₄ = Σ (m₄ − 3m₂²)/n³ (exactly: a resampled mean is a mean of
/// n independent draws from the sample). Its CDF is the Edgeworth series in z = (θ* − θ̂)/√κ₂,
///   F(z) = Φ(z) − φ(z) [γ₁/6 He₂(z) + γ₂/24 He₃(z) + γ₁²/72 He₅(z)],  γ₁ = κ₃/κ₂^{3/2}, γ₂ = κ₄/κ₂²,
/// and its quantiles the Cornish–Fisher series w(z) = z + γ₁/6 He₂ + γ₂/24 He₃ − γ₁²/36 (2z³ − 5z)
/// (Hall 1992, §2.5). Their error is O(n^{-3/2}) in z; the Monte Carlo error of 10,000 resamples is
/// about 0.005 in z at the 2.5 % end, larger for every n this is used for.
///
/// BCa (as `Bootstrap.interval` computes it) needs ẑ₀ = Φ⁻¹(F(0)) and the acceleration; for a linear
/// statistic the leave-one-out jackknife's â is exactly γ₁/6.
public struct LinearBootstrap: Sendable, Equatable {
    /// θ̂, the statistic on the samples themselves.
    public let estimate: Double
    /// √κ₂: the bootstrap standard error.
    public let standardError: Double
    /// γ₁ and γ₂: the standardised third and fourth cumulants of θ*.
    public let skewness: Double
    public let excessKurtosis: Double

    /// - Parameters:
    ///   - samples: the samples (each at least one value).
    ///   - signs: each sample's coefficient in θ (±1 for a mean or a difference of means).
    ///   - constant: what θ adds (minus the number a single mean is compared with).
    public init(_ samples: [[Double]], signs: [Double], constant: Double = 0) {
        precondition(samples.count == signs.count && samples.allSatisfy { !$0.isEmpty })
        var estimate = constant, k2 = 0.0, k3 = 0.0, k4 = 0.0
        for (sample, sign) in zip(samples, signs) {
            let n = Double(sample.count)
            let mean = Descriptive.mean(sample)
            var m2 = 0.0, m3 = 0.0, m4 = 0.0
            for value in sample {
                let d = value - mean, d2 = d * d
                m2 += d2
                m3 += d2 * d
                m4 += d2 * d2
            }
            (m2, m3, m4) = (m2 / n, m3 / n, m4 / n)
            estimate += sign * mean
            k2 += sign * sign * m2 / n
            k3 += sign * sign * sign * m3 / (n * n)
            k4 += pow(sign, 4) * (m4 - 3 * m2 * m2) / (n * n * n)
        }
        self.estimate = estimate
        standardError = k2.squareRoot()
        skewness = k2 > 0 ? k3 / pow(k2, 1.5) : 0
        excessKurtosis = k2 > 0 ? k4 / (k2 * k2) : 0
    }

    /// P(θ* ≤ x), clamped to [0, 1] (the series can leave it far in the tails, where it is ~0 or ~1).
    public func cdf(_ x: Double) -> Double {
        guard standardError > 0 else { return x >= estimate ? 1 : 0 }
        let z = (x - estimate) / standardError
        guard z.isFinite else { return z > 0 ? 1 : 0 }
        let base = z < 0 ? Normal.cdf(z) : 1 - Normal.survival(z)
        return min(max(base - Normal.density(z) * correction(z), 0), 1)
    }

    /// P(θ* ≥ x): for a continuous series, 1 − P(θ* ≤ x), kept exact in the upper tail.
    public func survival(_ x: Double) -> Double {
        guard standardError > 0 else { return x <= estimate ? 1 : 0 }
        let z = (x - estimate) / standardError
        guard z.isFinite else { return z < 0 ? 1 : 0 }
        return min(max(Normal.survival(z) + Normal.density(z) * correction(z), 0), 1)
    }

    /// The Edgeworth series' bracket: γ₁/6 He₂(z) + γ₂/24 He₃(z) + γ₁²/72 He₅(z).
    private func correction(_ z: Double) -> Double {
        let z2 = z * z
        let he2 = z2 - 1, he3 = z * (z2 - 3), he5 = z * (z2 * z2 - 10 * z2 + 15)
        return skewness / 6 * he2 + excessKurtosis / 24 * he3 + skewness * skewness / 72 * he5
    }

    /// The p-quantile of θ* (Cornish–Fisher).
    public func quantile(_ p: Double) -> Double {
        guard standardError > 0 else { return estimate }
        let z = Normal.quantile(min(max(p, 1e-300), 1 - 1e-16))
        let z2 = z * z
        let w = z + skewness / 6 * (z2 - 1) + excessKurtosis / 24 * z * (z2 - 3) - skewness * skewness / 36 * z * (2 * z2 - 5)
        return estimate + standardError * w
    }

    /// The percentile (the (1 ∓ level)/2 quantiles) or BCa interval at `level`, as `Bootstrap.interval`
    /// computes them from replicates, here from the ideal bootstrap.
    public func interval(level: Double = 0.95, method: Bootstrap.Method) -> (low: Double, high: Double) {
        let tail = (1 - level) / 2
        guard method == .bca, standardError > 0 else { return (quantile(tail), quantile(1 - tail)) }
        let levels = Bootstrap.bcaLevels(z0: Normal.quantile(0.5 + Normal.density(0) * skewness / 6), acceleration: skewness / 6, level: level)
        return (quantile(levels.low), quantile(levels.high))
    }
}
