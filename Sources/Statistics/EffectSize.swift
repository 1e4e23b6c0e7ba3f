import Foundation

/// Standardised differences between two groups.
public enum EffectSize {
    /// Cohen's d = (mean_A − mean_B)/s_pooled, s_pooled² = ((n_A − 1)s_A² + (n_B − 1)s_B²)/(n_A + n_B − 2).
    public static func cohensD(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count >= 2, b.count >= 2 else { return .nan }
        let df = Double(a.count + b.count - 2)
        let pooled = ((Double(a.count - 1) * Descriptive.variance(a) + Double(b.count - 1) * Descriptive.variance(b)) / df).squareRoot()
        let difference = Descriptive.mean(a) - Descriptive.mean(b)
        if pooled == 0 { return difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity) }
        return difference / pooled
    }

    /// Hedges' g = J · d with ν = n_A + n_B − 2 and the small-sample correction J = 1 − 3/(4ν − 1)
    /// (Hedges 1981's approximation of Γ(ν/2)/(√(ν/2) Γ((ν − 1)/2)), as Borenstein 2009 and statsmodels'
    /// `effectsize_smd` use it; the two differ by less than 0.1 % from ν = 10).
    public static func hedgesG(_ a: [Double], _ b: [Double]) -> Double {
        let d = cohensD(a, b)
        return d * correction(Double(a.count + b.count - 2))
    }

    /// The paired (one-sample) effect: mean of the differences over their standard deviation.
    public static func standardizedMean(_ values: [Double]) -> Double {
        let sd = Descriptive.standardDeviation(values)
        let m = Descriptive.mean(values)
        if sd == 0 { return m == 0 ? 0 : (m > 0 ? .infinity : -.infinity) }
        return m / sd
    }

    /// J(ν) = 1 − 3/(4ν − 1), Hedges' bias correction.
    public static func correction(_ nu: Double) -> Double {
        guard nu > 0 else { return .nan }
        return 1 - 3 / (4 * nu - 1)
    }
}
