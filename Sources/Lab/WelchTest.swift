import Foundation
import Statistics

/// Welch's t-test for the difference of two means (unequal variances), or a one-sample t-test
/// against a number when `b` is nil. Reports what a verdict needs: n, means, difference, t, df,
/// the one-sided p-values in both directions, and the two-sided 95% confidence interval.
public struct WelchTest: Equatable, Sendable {
    public let countA: Int
    public let countB: Int
    public let meanA: Double
    /// The other side's mean, or the number compared with.
    public let meanB: Double
    /// meanA − meanB − shift.
    public let difference: Double
    public let t: Double
    public let degreesOfFreedom: Double
    /// P(T ≤ t): small when A is below B.
    public let pLess: Double
    /// P(T ≥ t): small when A is above B.
    public let pGreater: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// The pooled standard deviation of one run, for the power estimate.
    public let runSpread: Double
    /// The standard error of `difference`.
    public let standardError: Double

    /// - Parameters:
    ///   - a, b: at least two values each (b nil: compare A's mean with `shift`).
    ///   - shift: the margin: tests meanA − meanB against `shift` (or meanA against `shift` with one sample).
    public init?(_ a: [Double], _ b: [Double]?, shift: Double = 0, confidence: Double = 0.95) {
        guard a.count >= 2, b.map({ $0.count >= 2 }) ?? true else { return nil }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func variance(_ values: [Double]) -> Double {
            let m = mean(values)
            return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        }
        countA = a.count
        meanA = mean(a)
        let varianceA = variance(a) / Double(a.count)
        var standardError: Double
        if let b {
            countB = b.count
            meanB = mean(b)
            let varianceB = variance(b) / Double(b.count)
            standardError = (varianceA + varianceB).squareRoot()
            let denominator = varianceA * varianceA / Double(a.count - 1) + varianceB * varianceB / Double(b.count - 1)
            degreesOfFreedom = denominator > 0 ? (varianceA + varianceB) * (varianceA + varianceB) / denominator : Double(a.count + b.count - 2)
            runSpread = ((variance(a) + variance(b)) / 2).squareRoot()
            difference = meanA - meanB - shift
        } else {
            countB = 0
            meanB = shift
            standardError = varianceA.squareRoot()
            degreesOfFreedom = Double(a.count - 1)
            runSpread = variance(a).squareRoot()
            difference = meanA - shift
        }
        if standardError == 0 {
            // Identical runs: the sign of the difference is certain.
            t = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
            standardError = 0
        } else {
            t = difference / standardError
        }
        pLess = t.isNaN ? 1 : StudentT.cdf(t, degreesOfFreedom: degreesOfFreedom)
        pGreater = t.isNaN ? 1 : 1 - pLess
        let q = StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: degreesOfFreedom)
        confidenceLow = difference - q * standardError
        confidenceHigh = difference + q * standardError
        self.standardError = standardError
    }

    /// The one-sided confidence bound on `difference` at level 1 − `alpha`: an upper bound (the
    /// difference is below it) when `upper`, else a lower bound. It excludes 0 exactly when the
    /// one-sided test in that direction rejects at `alpha`.
    public func oneSidedBound(alpha: Double, upper: Bool) -> Double {
        let q = StudentT.quantile(1 - alpha, degreesOfFreedom: degreesOfFreedom) * standardError
        return upper ? difference + q : difference - q
    }

    /// Runs per side needed to detect the observed difference with a one-sided test at `alpha` and
    /// power 0.8 (normal approximation: n = 2 (z₁₋α + z₀.₈)² s² / d², or (z₁₋α + z₀.₈)² s² / d² for one sample).
    public func runsNeeded(alpha: Double) -> Int? {
        guard difference != 0, runSpread > 0 else { return nil }
        let z = StudentT.quantile(1 - alpha, degreesOfFreedom: 1e7) + StudentT.quantile(0.8, degreesOfFreedom: 1e7)
        let sides: Double = countB > 0 ? 2 : 1
        return Int((sides * z * z * runSpread * runSpread / (difference * difference)).rounded(.up))
    }
}
