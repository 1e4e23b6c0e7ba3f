import Journal
import Statistics
import Training

/// Everything a verdict computes on two groups of values (or one group against a number): the
/// test, the intervals, the effect size, the probability of improvement and the power.
///
/// All bootstrap numbers use `Bootstrap.defaultResamples` resamples from a generator seeded with 0,
/// so the same records always give the same verdict.
public struct GroupComparison: Sendable {
    public enum Aggregate: Sendable { case mean, median, iqm }

    /// The t-test (Welch, paired or one-sample) when the aggregate is the mean.
    public let test: TTest?
    /// Student's test on the same data (two unpaired groups), for the sequential Bayes factor.
    public let studentTest: TTest?
    /// Two-sided t interval on left − right (or left − number) at `level`, margin not subtracted.
    public let tInterval: (low: Double, high: Double)?
    /// BCa bootstrap interval on the aggregate's difference at `level`, margin not subtracted.
    public let bootstrapInterval: (low: Double, high: Double)?
    /// Bootstrap replicates of the aggregate's difference (for tests on medians and IQMs); empty when
    /// `bootstrapExpansion` stands in for them.
    public let bootstrapReplicates: [Double]
    /// The ideal bootstrap of a mean's difference written from its cumulants, used instead of
    /// replicates when every sample has at least `Bootstrap.expansionMinimum` values.
    public let bootstrapExpansion: LinearBootstrap?
    /// The statistic the replicates resample, on the data itself: agg(left) − agg(right), agg of the
    /// paired differences, or agg(left) − the number.
    public let bootstrapEstimate: Double
    /// Hedges' g (two groups), or the standardised mean difference d_z of pairs or of one sample
    /// against the number (the margin subtracted).
    public let effectSize: Double?
    /// P(left > right) (Mann–Whitney), with a percentile bootstrap interval at `level` (DeLong's when
    /// both groups have at least `Bootstrap.expansionMinimum` runs: `superiorityByDeLong`).
    public let superiority: (value: Double, low: Double, high: Double)?
    public let superiorityByDeLong: Bool
    /// The one-sided test's power for the observed effect at the current n, and the n per group (or
    /// pairs, or runs) that would give 0.8.
    public let power: Double?
    public let countForPower: Int?
    public let level: Double

    /// - Parameters:
    ///   - left, right: the groups (`right` nil: compared with `number`); for `paired`, in pair order.
    ///   - margin: what the prediction adds to the right side.
    ///   - alpha: the level the tests are judged at; intervals are two-sided at 1 − α.
    public init(left: [Double], right: [Double]?, number: Double = 0, margin: Double, paired: Bool,
                aggregate: Aggregate, alpha: Double) {
        level = 1 - alpha
        var generator = SeededGenerator(seed: 0)
        func statistic(_ values: [Double]) -> Double {
            switch aggregate {
            case .mean: return Descriptive.mean(values)
            case .median: return Descriptive.median(values)
            case .iqm: return Descriptive.interquartileMean(values)
            }
        }
        let enough = left.count >= 2 && (right.map { $0.count >= 2 } ?? true)
        guard enough else {
            (test, studentTest, tInterval, bootstrapInterval, bootstrapReplicates, bootstrapEstimate) = (nil, nil, nil, nil, [], .nan)
            bootstrapExpansion = nil
            (effectSize, superiority, power, countForPower, superiorityByDeLong) = (nil, nil, nil, nil, false)
            return
        }
        if let right {
            let samples = paired ? [zip(left, right).map { $0 - $1 }] : [left, right]
            let difference: ([[Double]]) -> Double = paired ? { statistic($0[0]) } : { statistic($0[0]) - statistic($0[1]) }
            // For a paired median/IQM the statistic of the differences stands in for the difference of statistics.
            (bootstrapReplicates, bootstrapExpansion, bootstrapInterval) =
                Self.bootstrap(samples, signs: paired ? [1] : [1, -1], constant: 0, aggregate: aggregate, level: level,
                               generator: &generator, statistic: difference)
            bootstrapEstimate = difference(samples)
            test = aggregate == .mean ? (paired ? TTest.paired(left, right, margin: margin) : TTest.welch(left, right, margin: margin)) : nil
            studentTest = aggregate == .mean && !paired ? TTest.student(left, right, margin: margin) : nil
            if let plain = aggregate == .mean ? (paired ? TTest.paired(left, right) : TTest.welch(left, right)) : nil {
                tInterval = plain.interval(level: level)
            } else { tInterval = nil }
            let shifted = right.map { $0 + margin }
            effectSize = paired ? EffectSize.standardizedMean(zip(left, shifted).map { $0 - $1 }) : EffectSize.hedgesG(left, shifted)
            if Bootstrap.isLarge([left, right]),
               let interval = SuperiorityInterval.delong(left, right, level: level) {
                superiority = interval
                superiorityByDeLong = true
            } else if let mannWhitney = MannWhitney(left, right) {
                superiorityByDeLong = false
                let replicates = Bootstrap.replicates([left, right], generator: &generator) { samples in
                    MannWhitney(samples[0], samples[1])?.probabilityOfSuperiority ?? .nan
                }
                let interval = Bootstrap.interval([left, right], replicates: replicates, level: level, method: .percentile) {
                    MannWhitney($0[0], $0[1])?.probabilityOfSuperiority ?? .nan
                }
                superiority = (mannWhitney.probabilityOfSuperiority, interval.low, interval.high)
            } else { (superiority, superiorityByDeLong) = (nil, false) }
            if aggregate == .mean, let d = effectSize, d.isFinite, d != 0 {
                let magnitude = abs(paired ? d : EffectSize.cohensD(left, shifted))
                power = paired ? TTestPower.oneSample(effectSize: magnitude, count: Double(left.count), alpha: alpha, alternative: .larger)
                               : TTestPower.independent(effectSize: magnitude, countA: Double(left.count), countB: Double(right.count), alpha: alpha, alternative: .larger)
                countForPower = TTestPower.requiredCount(effectSize: magnitude, twoGroups: !paired, alpha: alpha, alternative: .larger, limit: 100_000)
            } else { (power, countForPower) = (nil, nil) }
        } else {
            let difference: ([[Double]]) -> Double = { statistic($0[0]) - number }
            (bootstrapReplicates, bootstrapExpansion, bootstrapInterval) =
                Self.bootstrap([left], signs: [1], constant: -number, aggregate: aggregate, level: level,
                               generator: &generator, statistic: difference)
            bootstrapEstimate = difference([left])
            test = aggregate == .mean ? TTest.oneSample(left, against: number) : nil
            studentTest = nil
            tInterval = test?.interval(level: level)
            effectSize = EffectSize.standardizedMean(left.map { $0 - number })
            (superiority, superiorityByDeLong) = (nil, false)
            if aggregate == .mean, let d = effectSize, d.isFinite, d != 0 {
                power = TTestPower.oneSample(effectSize: abs(d), count: Double(left.count), alpha: alpha, alternative: .larger)
                countForPower = TTestPower.requiredCount(effectSize: abs(d), twoGroups: false, alpha: alpha, alternative: .larger, limit: 100_000)
            } else { (power, countForPower) = (nil, nil) }
        }
    }

    /// The BCa interval of the statistic, from its expansion when it is a mean of large samples, else
    /// from `Bootstrap.defaultResamples` replicates (returned, for the p-values and bounds).
    static func bootstrap(_ samples: [[Double]], signs: [Double], constant: Double, aggregate: Aggregate, level: Double,
                          generator: inout SeededGenerator, statistic: ([[Double]]) -> Double)
        -> (replicates: [Double], expansion: LinearBootstrap?, interval: (low: Double, high: Double)) {
        if aggregate == .mean, Bootstrap.isLarge(samples) {
            let expansion = LinearBootstrap(samples, signs: signs, constant: constant)
            return ([], expansion, expansion.interval(level: level, method: .bca))
        }
        let replicates = Bootstrap.replicates(samples, generator: &generator, statistic: statistic)
        return (replicates, nil, Bootstrap.interval(samples, replicates: replicates, level: level, method: .bca, statistic: statistic))
    }

    /// The percentile bootstrap's one-sided p-values for the aggregate's difference against the margin:
    /// (1 + #{θ* ≥ margin})/(B + 1) for "below" and (1 + #{θ* ≤ margin})/(B + 1) for "above"; from the
    /// expansion, P(θ* ≥ margin) and P(θ* ≤ margin).
    public func bootstrapP(margin: Double) -> (less: Double, greater: Double) {
        if let bootstrapExpansion { return (bootstrapExpansion.survival(margin), bootstrapExpansion.cdf(margin)) }
        let total = Double(bootstrapReplicates.count + 1)
        let atOrAbove = Double(bootstrapReplicates.filter { $0 >= margin }.count)
        let atOrBelow = Double(bootstrapReplicates.filter { $0 <= margin }.count)
        return ((1 + atOrAbove) / total, (1 + atOrBelow) / total)
    }

    /// The one-sided percentile bound on the aggregate's difference at 1 − α.
    public func bootstrapBound(alpha: Double, upper: Bool) -> Double {
        if let bootstrapExpansion { return bootstrapExpansion.quantile(upper ? 1 - alpha : alpha) }
        let sorted = bootstrapReplicates.sorted()
        return Bootstrap.quantile(sorted, upper ? 1 - alpha : alpha)
    }
}
