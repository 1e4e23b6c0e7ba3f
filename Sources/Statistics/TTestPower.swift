import Foundation

/// Power of t-tests through the noncentral t distribution, as statsmodels' `TTestIndPower` and
/// `TTestPower` compute it.
public enum TTestPower {
    public enum Alternative: String, Sendable { case larger, smaller, twoSided = "two-sided" }

    /// Power of a t-test with effect size d (standardised difference), effective size n_eff and df:
    /// noncentrality δ = d √n_eff; larger: P(T > t_{1−α, ν}; δ); smaller: P(T < t_{α, ν}; δ);
    /// two-sided: both tails at α/2.
    public static func power(effectSize d: Double, effectiveCount: Double, degreesOfFreedom: Double, alpha: Double, alternative: Alternative) -> Double {
        guard degreesOfFreedom > 0, d.isFinite else { return .nan }
        let delta = d * effectiveCount.squareRoot()
        let level = alternative == .twoSided ? alpha / 2 : alpha
        var power = 0.0
        if alternative != .smaller {
            power += NoncentralT.survival(StudentT.quantile(1 - level, degreesOfFreedom: degreesOfFreedom), degreesOfFreedom: degreesOfFreedom, noncentrality: delta)
        }
        if alternative != .larger {
            power += NoncentralT.cdf(StudentT.quantile(level, degreesOfFreedom: degreesOfFreedom), degreesOfFreedom: degreesOfFreedom, noncentrality: delta)
        }
        return power
    }

    /// Two independent groups (statsmodels' `TTestIndPower().power`): n_eff = 1/(1/n_A + 1/n_B),
    /// ν = n_A + n_B − 2. For Welch's test this is the usual approximation (it equals Welch's df when
    /// the groups have equal size and variance), with d from the pooled standard deviation.
    public static func independent(effectSize d: Double, countA: Double, countB: Double, alpha: Double, alternative: Alternative) -> Double {
        power(effectSize: d, effectiveCount: 1 / (1 / countA + 1 / countB), degreesOfFreedom: countA + countB - 2, alpha: alpha, alternative: alternative)
    }

    /// One sample or paired differences (statsmodels' `TTestPower().power`): n_eff = n, ν = n − 1.
    public static func oneSample(effectSize d: Double, count: Double, alpha: Double, alternative: Alternative) -> Double {
        power(effectSize: d, effectiveCount: count, degreesOfFreedom: count - 1, alpha: alpha, alternative: alternative)
    }

    /// The smallest whole n (per group for two groups of equal size; pairs or runs for one sample)
    /// whose power reaches `target`, or nil when none up to `limit` does (or the effect is 0).
    public static func requiredCount(effectSize d: Double, twoGroups: Bool, alpha: Double, target: Double = 0.8,
                                     alternative: Alternative, limit: Int = 1_000_000) -> Int? {
        guard d.isFinite, d != 0 else { return nil }
        func power(_ n: Int) -> Double {
            twoGroups ? independent(effectSize: d, countA: Double(n), countB: Double(n), alpha: alpha, alternative: alternative)
                      : oneSample(effectSize: d, count: Double(n), alpha: alpha, alternative: alternative)
        }
        var low = 2, high = 2
        while power(high) < target {
            low = high
            high *= 2
            if high > limit { return nil }
        }
        if power(low) >= target { return low }
        // power(low) < target ≤ power(high); power grows with n.
        while high - low > 1 {
            let middle = (low + high) / 2
            if power(middle) >= target { high = middle } else { low = middle }
        }
        return high
    }
}
