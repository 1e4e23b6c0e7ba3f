import Foundation

/// The noncentral t distribution with ν degrees of freedom and noncentrality δ: the law of
/// (Z + δ)/√(χ²_ν/ν). It gives the power of t-tests.
public enum NoncentralT {
    /// P(T ≤ t) by Lenth's algorithm AS 243 (Applied Statistics 38, 1989): for t ≥ 0 a series in
    /// incomplete beta functions with Poisson weights in δ²/2, plus Φ(−δ); for t < 0 the reflection
    /// P(T ≤ t; ν, δ) = 1 − P(T ≤ −t; ν, −δ). Accurate to about 1e-12 for |δ| up to about 37.
    public static func cdf(_ t: Double, degreesOfFreedom: Double, noncentrality delta: Double) -> Double {
        precondition(degreesOfFreedom > 0)
        if t.isNaN || delta.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        if t < 0 { return 1 - cdf(-t, degreesOfFreedom: degreesOfFreedom, noncentrality: -delta) }
        if delta == 0 { return StudentT.cdf(t, degreesOfFreedom: degreesOfFreedom) }
        let x = t * t / (t * t + degreesOfFreedom)
        var total = 0.0
        if x > 0 {
            let lambda = delta * delta
            var p = 0.5 * exp(-0.5 * lambda)
            var q = (2 / Double.pi).squareRoot() * p * delta
            var s = 0.5 - p
            var a = 0.5
            let b = 0.5 * degreesOfFreedom
            let rxb = pow(1 - x, b)
            let logBeta = log(Double.pi.squareRoot()) + lgamma(b) - lgamma(0.5 + b)
            var xOdd = IncompleteBeta.regularized(x, a, b)
            var gOdd = 2 * rxb * exp(a * log(x) - logBeta)
            var xEven = 1 - rxb
            var gEven = b * x * rxb
            total = p * xOdd + q * xEven
            var term = 1.0
            while term <= 2000 {
                a += 1
                xOdd -= gOdd
                xEven -= gEven
                gOdd *= x * (a + b - 1) / a
                gEven *= x * (a + b - 0.5) / (a + 0.5)
                p *= lambda / (2 * term)
                q *= lambda / (2 * term + 1)
                s -= p
                total += p * xOdd + q * xEven
                if 2 * s * (xOdd - gOdd) < 1e-14 { break }
                term += 1
            }
        }
        return min(1, max(0, total + Normal.cdf(-delta)))
    }

    /// P(T > t).
    public static func survival(_ t: Double, degreesOfFreedom: Double, noncentrality delta: Double) -> Double {
        cdf(-t, degreesOfFreedom: degreesOfFreedom, noncentrality: -delta)
    }
}
