import Foundation

/// DeLong's interval on P(A > B) (DeLong, DeLong & Clarke-Pearson 1988), for samples too large to
/// bootstrap: 10,000 resamples of a rank statistic over 10,000 values and more are 10⁹ operations and
/// up, while its sampling distribution is then normal to well within what those resamples resolve.
///
/// Placements: Vᵢ = (#{b < aᵢ} + ½ #{b = aᵢ})/n_B for each a, Wⱼ = (#{a > bⱼ} + ½ #{a = bⱼ})/n_A for
/// each b; P̂ = mean V = mean W, Var P̂ = s²(V)/n_A + s²(W)/n_B (sample variances). The interval is
/// P̂ ± z_{(1+level)/2} √Var, clipped to [0, 1].
public enum SuperiorityInterval {
    public static func delong(_ a: [Double], _ b: [Double], level: Double = 0.95) -> (value: Double, low: Double, high: Double)? {
        guard let (estimate, standardError) = estimate(a, b) else { return nil }
        let half = Normal.quantile((1 + level) / 2) * standardError
        return (estimate, max(0, estimate - half), min(1, estimate + half))
    }

    /// P̂(A > B) and DeLong's standard error √(s²(V)/n_A + s²(W)/n_B); nil below two values a side or with a NaN.
    public static func estimate(_ a: [Double], _ b: [Double]) -> (value: Double, standardError: Double)? {
        guard a.count >= 2, b.count >= 2, !a.contains(where: \.isNaN), !b.contains(where: \.isNaN) else { return nil }
        let sortedA = a.sorted(), sortedB = b.sorted()
        // (#{x < value}, #{x = value}) in a sorted array, by two binary searches.
        func counts(_ sorted: [Double], _ value: Double) -> (below: Int, equal: Int) {
            let below = partition(sorted) { $0 < value }
            return (below, partition(sorted) { $0 <= value } - below)
        }
        let v = a.map { value -> Double in
            let (below, equal) = counts(sortedB, value)
            return (Double(below) + Double(equal) / 2) / Double(b.count)
        }
        let w = b.map { value -> Double in
            let (below, equal) = counts(sortedA, value)
            return (Double(a.count - below - equal) + Double(equal) / 2) / Double(a.count)
        }
        let variance = Descriptive.variance(v) / Double(a.count) + Descriptive.variance(w) / Double(b.count)
        return (Descriptive.mean(v), variance.squareRoot())
    }

    /// The number of leading elements of a sorted array for which `isBelow` holds.
    static func partition(_ sorted: [Double], _ isBelow: (Double) -> Bool) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if isBelow(sorted[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
