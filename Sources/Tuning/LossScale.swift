import Foundation

/// How the Gaussian process sees losses: failures as the worst finite loss, the log when every loss is
/// positive (a loss falls by orders of magnitude), values above Tukey's upper fence capped at it (a
/// diverged run must not flatten the rest), then standardised. Kept so predictions can be told back in
/// the loss's own units.
struct LossScale {
    let logarithmic: Bool
    let fence: Double
    let mean: Double
    let sd: Double

    init(_ losses: [Double]) {
        let finite = losses.filter(\.isFinite)
        let logarithmic = !finite.isEmpty && finite.allSatisfy { $0 > 0 }
        let worst = finite.max() ?? 0
        let raw = losses.map { loss -> Double in
            let value = loss.isFinite ? loss : worst
            return logarithmic ? log(value) : value
        }
        let sorted = raw.sorted()
        let quartile = { (q: Double) -> Double in sorted.isEmpty ? 0 : sorted[min(Int(q * Double(sorted.count - 1)), sorted.count - 1)] }
        let fence = quartile(0.75) + 1.5 * (quartile(0.75) - quartile(0.25))
        let capped = raw.map { min($0, fence) }
        let mean = capped.isEmpty || finite.isEmpty ? 0 : capped.reduce(0, +) / Double(capped.count)
        let variance = capped.isEmpty ? 0 : capped.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(capped.count)
        self.logarithmic = logarithmic
        self.fence = fence
        self.mean = mean
        self.sd = variance > 0 && !finite.isEmpty ? variance.squareRoot() : 1
        worstFinite = worst
    }

    private let worstFinite: Double

    /// A loss in the process's units.
    func scaled(_ loss: Double) -> Double {
        let value = loss.isFinite ? loss : worstFinite
        return (min(logarithmic ? log(value) : value, fence) - mean) / sd
    }

    /// A value of the process's units back as a loss.
    func loss(_ scaled: Double) -> Double {
        let value = scaled * sd + mean
        return logarithmic ? exp(value) : value
    }

    /// What a point predicted N(`mean`, `sd`²) in the process's units says in the loss's: the median,
    /// a 90 % interval, P(loss < best) and E[max(best − loss, 0)] (log-normal when the losses are logged).
    func prediction(mean scaledMean: Double, sd scaledSD: Double, best: Double) -> LossPrediction {
        let location = scaledMean * sd + mean, spread = scaledSD * sd
        let toLoss = { (value: Double) in self.logarithmic ? exp(value) : value }
        let bestInternal = logarithmic ? log(max(best, Double.leastNormalMagnitude)) : best
        let z = (bestInternal - location) / spread
        let improvement: Double
        if logarithmic {
            improvement = best * Self.normalCDF(z) - exp(location + spread * spread / 2) * Self.normalCDF(z - spread)
        } else {
            improvement = spread * (z * Self.normalCDF(z) + exp(-0.5 * z * z) / (2 * Double.pi).squareRoot())
        }
        return LossPrediction(loss: toLoss(location), low: toLoss(location - 1.645 * spread), high: toLoss(location + 1.645 * spread),
                              probabilityOfImprovement: Self.normalCDF(z), expectedImprovement: max(improvement, 0))
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}
