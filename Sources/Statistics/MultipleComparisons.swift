import Foundation

/// Holm–Bonferroni's step-down adjustment for m tests (Holm 1979): it controls the chance of any
/// false rejection at α, and rejects at least what Bonferroni's α/m does.
public enum Holm {
    /// Adjusted p-values: with p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎), in the input order
    /// (statsmodels' `multipletests(method="holm")`).
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var result = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            result[index] = running
        }
        return result
    }

    /// The level each test is compared with: α/(m − i + 1) for the i-th smallest p-value.
    public static func levels(_ pValues: [Double], alpha: Double) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var result = [Double](repeating: alpha, count: m)
        for (rank, index) in order.enumerated() { result[index] = alpha / Double(m - rank) }
        return result
    }

    /// Which tests are rejected: the step-down stops at the first p₍ᵢ₎ > α/(m − i + 1); the same as adjusted p ≤ α.
    public static func rejected(_ pValues: [Double], alpha: Double) -> [Bool] {
        adjusted(pValues).map { $0 <= alpha }
    }
}
