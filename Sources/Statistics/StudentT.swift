import Foundation

/// Student's t distribution with ν degrees of freedom, through the regularised incomplete beta function.
public enum StudentT {
    /// P(T ≤ t) for ν > 0: with x = ν/(ν + t²), the tail P(T > |t|) = I_x(ν/2, 1/2)/2. Near t = 0, where
    /// 1 − x loses its digits, it uses instead P(|T| < |t|) = I_y(1/2, ν/2) with y = t²/(ν + t²).
    public static func cdf(_ t: Double, degreesOfFreedom: Double) -> Double {
        precondition(degreesOfFreedom > 0)
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let squared = t * t
        if squared < degreesOfFreedom {
            let inner = IncompleteBeta.regularized(squared / (degreesOfFreedom + squared), 0.5, degreesOfFreedom / 2)
            return t >= 0 ? 0.5 + 0.5 * inner : 0.5 - 0.5 * inner
        }
        let tail = 0.5 * IncompleteBeta.regularized(degreesOfFreedom / (degreesOfFreedom + squared), degreesOfFreedom / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// P(T > t) = P(T ≤ −t), without the cancellation of 1 − cdf in the far tail.
    public static func survival(_ t: Double, degreesOfFreedom: Double) -> Double {
        cdf(-t, degreesOfFreedom: degreesOfFreedom)
    }

    /// The t with P(T ≤ t) = p, by bisection on `cdf` (to about 1e-13 relative).
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p > 0 && p < 1)
        if p == 0.5 { return 0 }
        var low = -1.0, high = 1.0
        while cdf(low, degreesOfFreedom: degreesOfFreedom) > p { low *= 2 }
        while cdf(high, degreesOfFreedom: degreesOfFreedom) < p { high *= 2 }
        for _ in 0..<300 {
            let middle = (low + high) / 2
            if cdf(middle, degreesOfFreedom: degreesOfFreedom) < p { low = middle } else { high = middle }
            if high - low < 1e-14 * max(1, abs(middle)) { break }
        }
        return (low + high) / 2
    }
}
