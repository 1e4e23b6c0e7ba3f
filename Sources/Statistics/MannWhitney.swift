import Foundation

/// The Mann–Whitney U test and the probability of improvement.
///
/// U_A = R_A − n_A(n_A + 1)/2, with R_A the sum of A's ranks in the pooled sample (ties get their
/// mean rank): the number of pairs (a, b) with a > b, ties counted ½. P(A > B) = U_A/(n_A n_B), the
/// chance that a run of A beats a run of B (Bouthillier et al. 2021's probability of improvement).
public struct MannWhitney: Equatable, Sendable {
    public enum Method: String, Sendable { case exact, asymptotic }

    public let countA: Int
    public let countB: Int
    /// U of sample A.
    public let u: Double
    public let method: Method
    /// P(U ≥ U_A) under the null: small when A tends to be above B.
    public let pGreater: Double
    /// P(U ≤ U_A) under the null: small when A tends to be below B.
    public let pLess: Double

    /// P(A > B) = U_A/(n_A n_B), ties counted ½.
    public var probabilityOfSuperiority: Double { u / Double(countA * countB) }

    public var pTwoSided: Double { min(1, 2 * min(pLess, pGreater)) }

    /// - Parameter method: nil chooses as scipy's `method="auto"` does: exact when either sample has
    ///   at most 8 values and there are no ties, else the normal approximation.
    /// The normal approximation uses the tie-corrected variance
    /// σ² = n_A n_B/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))) and a continuity correction of ½,
    /// z = (U − n_A n_B/2 − ½)/σ for each one-sided direction (scipy's `use_continuity=True`).
    public init?(_ a: [Double], _ b: [Double], method: Method? = nil) {
        guard !a.isEmpty, !b.isEmpty, !a.contains(where: \.isNaN), !b.contains(where: \.isNaN) else { return nil }
        countA = a.count
        countB = b.count
        let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumA = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for index in start...end where pooled[index].1 { rankSumA += rank }
            let tied = Double(end - start + 1)
            tieTerm += tied * tied * tied - tied
            start = end + 1
        }
        let (nA, nB) = (Double(a.count), Double(b.count))
        u = rankSumA - nA * (nA + 1) / 2
        let chosen = method ?? ((a.count <= 8 || b.count <= 8) && tieTerm == 0 ? .exact : .asymptotic)
        self.method = chosen
        switch chosen {
        case .exact:
            let counts = Self.exactCounts(a.count, b.count)
            let total = counts.reduce(0, +)
            // U takes whole values without ties; with ties the exact law does not apply, and the
            // rounding below is what scipy's `method="exact"` does too (it ignores ties).
            let observed = Int(u.rounded(.down)), observedUp = Int(u.rounded(.up))
            pGreater = min(1, counts[min(observedUp, counts.count - 1)...].reduce(0, +) / total)
            pLess = min(1, counts[...max(0, min(observed, counts.count - 1))].reduce(0, +) / total)
        case .asymptotic:
            let n = nA + nB
            let sigma = (nA * nB / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let mu = nA * nB / 2
            if sigma == 0 {
                pGreater = 1
                pLess = 1
            } else {
                pGreater = min(1, Normal.survival((u - mu - 0.5) / sigma))
                pLess = min(1, Normal.survival((nA * nB - u - mu - 0.5) / sigma))
            }
        }
    }

    /// How many of the C(n_A + n_B, n_A) arrangements give each U = 0…n_A n_B, by the recursion
    /// f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u) (in doubles: exact up to 2⁵³, then to rounding).
    static func exactCounts(_ m: Int, _ n: Int) -> [Double] {
        guard m > 0, n > 0 else { return [1] }
        // previous[j] is f(i − 1, j, ·); the largest value is A's (U grows by j) or B's (U unchanged).
        var previous = [[Double]](repeating: [1], count: n + 1)
        for i in 1...m {
            var current: [[Double]] = [[1]]
            for j in 1...n {
                var row = [Double](repeating: 0, count: i * j + 1)
                for (value, count) in current[j - 1].enumerated() { row[value] += count }
                for (value, count) in previous[j].enumerated() { row[value + j] += count }
                current.append(row)
            }
            previous = current
        }
        return previous[n]
    }
}
