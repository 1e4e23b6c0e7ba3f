import Foundation

/// Student's t distribution, through the regularised incomplete beta function.
public enum StudentT {
    /// P(T ≤ t) for `degreesOfFreedom` ν > 0: with x = ν/(ν + t²), P = 1 − I_x(ν/2, 1/2)/2 for t ≥ 0
    /// and I_x(ν/2, 1/2)/2 for t < 0. Near t = 0, where 1 − x loses its digits, it uses instead
    /// P(|T| < |t|) = I_y(1/2, ν/2) with y = t²/(ν + t²).
    public static func cdf(_ t: Double, degreesOfFreedom: Double) -> Double {
        precondition(degreesOfFreedom > 0)
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let squared = t * t
        if squared < degreesOfFreedom {
            let inner = regularizedBeta(squared / (degreesOfFreedom + squared), 0.5, degreesOfFreedom / 2)
            return t >= 0 ? 0.5 + 0.5 * inner : 0.5 - 0.5 * inner
        }
        let x = degreesOfFreedom / (degreesOfFreedom + squared)
        let tail = 0.5 * regularizedBeta(x, degreesOfFreedom / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, by bisection on `cdf` (to about 1e-12).
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p > 0 && p < 1)
        var low = -1.0, high = 1.0
        while cdf(low, degreesOfFreedom: degreesOfFreedom) > p { low *= 2 }
        while cdf(high, degreesOfFreedom: degreesOfFreedom) < p { high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if cdf(middle, degreesOfFreedom: degreesOfFreedom) < p { low = middle } else { high = middle }
            if high - low < 1e-13 * max(1, abs(middle)) { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b), the regularised incomplete beta function, by its continued fraction (modified Lentz),
    /// using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...500 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return result
    }
}
