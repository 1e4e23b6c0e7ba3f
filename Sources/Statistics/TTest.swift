import Foundation

/// A t-test of a difference in means against a margin: Welch's (unequal variances), Student's
/// (pooled variance), the paired test (one-sample test of the pairwise differences), or the
/// one-sample test against a number. It keeps what a verdict shows: n, means, the difference, its
/// standard error, t, df, both one-sided p-values and confidence bounds.
public struct TTest: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case welch, student, paired, oneSample = "one-sample"

        /// "Welch t-test", "paired t-test", …
        public var name: String {
            switch self {
            case .welch: return "Welch t-test"
            case .student: return "Student t-test"
            case .paired: return "paired t-test"
            case .oneSample: return "one-sample t-test"
            }
        }
    }

    public let kind: Kind
    public let countA: Int
    /// B's size (the number of pairs for a paired test; 0 for one sample).
    public let countB: Int
    public let meanA: Double
    /// B's mean, or the number compared with.
    public let meanB: Double
    /// meanA − meanB − margin (for a paired test, the mean of the differences less the margin).
    public let difference: Double
    public let standardError: Double
    /// difference / standardError (±∞ when the runs are identical and the difference is not 0).
    public let t: Double
    public let degreesOfFreedom: Double
    /// P(T ≤ t): small when A is below B + margin.
    public let pLess: Double
    /// P(T ≥ t): small when A is above B + margin.
    public let pGreater: Double

    /// The two-sided p-value, 2 min(pLess, pGreater), capped at 1.
    public var pTwoSided: Double { min(1, 2 * min(pLess, pGreater)) }

    private init(kind: Kind, countA: Int, countB: Int, meanA: Double, meanB: Double, difference: Double, standardError: Double, degreesOfFreedom: Double) {
        self.kind = kind
        self.countA = countA
        self.countB = countB
        self.meanA = meanA
        self.meanB = meanB
        self.difference = difference
        self.degreesOfFreedom = degreesOfFreedom
        if standardError == 0 || !standardError.isFinite {
            // Identical runs: the sign of the difference is certain.
            t = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
            self.standardError = 0
        } else {
            t = difference / standardError
            self.standardError = standardError
        }
        pLess = t.isNaN ? 1 : StudentT.cdf(t, degreesOfFreedom: degreesOfFreedom)
        pGreater = t.isNaN ? 1 : StudentT.survival(t, degreesOfFreedom: degreesOfFreedom)
    }

    /// Welch: se² = s_A²/n_A + s_B²/n_B, and the Welch–Satterthwaite
    /// df = se⁴ / ((s_A²/n_A)²/(n_A − 1) + (s_B²/n_B)²/(n_B − 1)). Nil below two values a side.
    public static func welch(_ a: [Double], _ b: [Double], margin: Double = 0) -> TTest? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let va = Descriptive.variance(a) / Double(a.count), vb = Descriptive.variance(b) / Double(b.count)
        let denominator = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
        let df = denominator > 0 ? (va + vb) * (va + vb) / denominator : Double(a.count + b.count - 2)
        let (ma, mb) = (Descriptive.mean(a), Descriptive.mean(b))
        return TTest(kind: .welch, countA: a.count, countB: b.count, meanA: ma, meanB: mb, difference: ma - mb - margin,
                     standardError: (va + vb).squareRoot(), degreesOfFreedom: df)
    }

    /// Student: pooled s² = ((n_A − 1)s_A² + (n_B − 1)s_B²)/(n_A + n_B − 2), se² = s²(1/n_A + 1/n_B),
    /// df = n_A + n_B − 2.
    public static func student(_ a: [Double], _ b: [Double], margin: Double = 0) -> TTest? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let df = Double(a.count + b.count - 2)
        let pooled = (Double(a.count - 1) * Descriptive.variance(a) + Double(b.count - 1) * Descriptive.variance(b)) / df
        let (ma, mb) = (Descriptive.mean(a), Descriptive.mean(b))
        return TTest(kind: .student, countA: a.count, countB: b.count, meanA: ma, meanB: mb, difference: ma - mb - margin,
                     standardError: (pooled * (1 / Double(a.count) + 1 / Double(b.count))).squareRoot(), degreesOfFreedom: df)
    }

    /// Paired: the one-sample test of dᵢ = aᵢ − bᵢ against the margin, df = n − 1. `a` and `b` are
    /// in pair order and of equal length (at least two pairs).
    public static func paired(_ a: [Double], _ b: [Double], margin: Double = 0) -> TTest? {
        guard a.count >= 2, a.count == b.count else { return nil }
        let differences = zip(a, b).map { $0 - $1 }
        return TTest(kind: .paired, countA: a.count, countB: b.count, meanA: Descriptive.mean(a), meanB: Descriptive.mean(b),
                     difference: Descriptive.mean(differences) - margin,
                     standardError: (Descriptive.variance(differences) / Double(a.count)).squareRoot(), degreesOfFreedom: Double(a.count - 1))
    }

    /// One sample: t = (mean − μ)/(s/√n), df = n − 1.
    public static func oneSample(_ a: [Double], against mu: Double) -> TTest? {
        guard a.count >= 2 else { return nil }
        let m = Descriptive.mean(a)
        return TTest(kind: .oneSample, countA: a.count, countB: 0, meanA: m, meanB: mu, difference: m - mu,
                     standardError: (Descriptive.variance(a) / Double(a.count)).squareRoot(), degreesOfFreedom: Double(a.count - 1))
    }

    /// The two-sided confidence interval on `difference` at `level`: difference ± t_{(1+level)/2, df} · se.
    public func interval(level: Double = 0.95) -> (low: Double, high: Double) {
        let q = StudentT.quantile(0.5 + level / 2, degreesOfFreedom: degreesOfFreedom) * standardError
        return (difference - q, difference + q)
    }

    /// The one-sided bound on `difference` at 1 − `alpha`: an upper bound when `upper`, else a lower
    /// bound. It excludes 0 exactly when the one-sided test in that direction rejects at `alpha`.
    public func oneSidedBound(alpha: Double, upper: Bool) -> Double {
        let q = StudentT.quantile(1 - alpha, degreesOfFreedom: degreesOfFreedom) * standardError
        return upper ? difference + q : difference - q
    }
}
