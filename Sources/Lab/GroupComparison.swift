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
    /// Bootstrap replicates of the aggregate's difference (for tests on medians and IQMs).
    public let bootstrapReplicates: [Double]
    /// The statistic the replicates resample, on the data itself: agg(left) − agg(right), agg of the
    /// paired differences, or agg(left) − the number.
    public let bootstrapEstimate: Double
    /// Hedges' g (two groups), or the standardised mean difference d_z of pairs or of one sample
    /// against the number (the margin subtracted).
    public let effectSize: Double?
    /// P(left > right) (Mann–Whitney), with a percentile bootstrap interval at `level`.
    public let superiority: (value: Double, low: Double, high: Double)?
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
            (effectSize, superiority, power, countForPower) = (nil, nil, nil, nil)
            return
        }
        if let right {
            let samples = paired ? [zip(left, right).map { $0 - $1 }] : [left, right]
            let difference: ([[Double]]) -> Double = paired ? { statistic($0[0]) } : { statistic($0[0]) - statistic($0[1]) }
            // For a paired median/IQM the statistic of the differences stands in for the difference of statistics.
            bootstrapReplicates = Bootstrap.replicates(samples, generator: &generator, statistic: difference)
            bootstrapInterval = Bootstrap.interval(samples, replicates: bootstrapReplicates, level: level, method: .bca, statistic: difference)
            bootstrapEstimate = difference(samples)
            test = aggregate == .mean ? (paired ? TTest.paired(left, right, margin: margin) : TTest.welch(left, right, margin: margin)) : nil
            studentTest = aggregate == .mean && !paired ? TTest.student(left, right, margin: margin) : nil
            if let plain = aggregate == .mean ? (paired ? TTest.paired(left, right) : TTest.welch(left, right)) : nil {
                tInterval = plain.interval(level: level)
            } else { tInterval = nil }
            let shifted = right.map { $0 + margin }
            effectSize = paired ? EffectSize.standardizedMean(zip(left, shifted).map { $0 - $1 }) : EffectSize.hedgesG(left, shifted)
            if let mannWhitney = MannWhitney(left, right) {
                let replicates = Bootstrap.replicates([left, right], generator: &generator) { samples in
                    MannWhitney(samples[0], samples[1])?.probabilityOfSuperiority ?? .nan
                }
                let interval = Bootstrap.interval([left, right], replicates: replicates, level: level, method: .percentile) {
                    MannWhitney($0[0], $0[1])?.probabilityOfSuperiority ?? .nan
                }
                superiority = (mannWhitney.probabilityOfSuperiority, interval.low, interval.high)
            } else { superiority = nil }
            if aggregate == .mean, let d = effectSize, d.isFinite, d != 0 {
                let magnitude = abs(paired ? d : EffectSize.cohensD(left, shifted))
                power = paired ? TTestPower.oneSample(effectSize: magnitude, count: Double(left.count), alpha: alpha, alternative: .larger)
                               : TTestPower.independent(effectSize: magnitude, countA: Double(left.count), countB: Double(right.count), alpha: alpha, alternative: .larger)
                countForPower = TTestPower.requiredCount(effectSize: magnitude, twoGroups: !paired, alpha: alpha, alternative: .larger, limit: 100_000)
            } else { (power, countForPower) = (nil, nil) }
        } else {
            let difference: ([[Double]]) -> Double = { statistic($0[0]) - number }
            bootstrapReplicates = Bootstrap.replicates([left], generator: &generator, statistic: difference)
            bootstrapInterval = Bootstrap.interval([left], replicates: bootstrapReplicates, level: level, method: .bca, statistic: difference)
            bootstrapEstimate = difference([left])
            test = aggregate == .mean ? TTest.oneSample(left, against: number) : nil
            studentTest = nil
            tInterval = test?.interval(level: level)
            effectSize = EffectSize.standardizedMean(left.map { $0 - number })
            superiority = nil
            if aggregate == .mean, let d = effectSize, d.isFinite, d != 0 {
                power = TTestPower.oneSample(effectSize: abs(d), count: Double(left.count), alpha: alpha, alternative: .larger)
                countForPower = TTestPower.requiredCount(effectSize: abs(d), twoGroups: false, alpha: alpha, alternative: .larger, limit: 100_000)
            } else { (power, countForPower) = (nil, nil) }
        }
    }

    /// The percentile bootstrap's one-sided p-values for the aggregate's difference against the margin:
    /// (1 + #{θ* ≥ margin})/(B + 1) for "below" and (1 + #{θ* ≤ margin})/(B + 1) for "above".
    public func bootstrapP(margin: Double) -> (less: Double, greater: Double) {
        let total = Double(bootstrapReplicates.count + 1)
        let atOrAbove = Double(bootstrapReplicates.filter { $0 >= margin }.count)
        let atOrBelow = Double(bootstrapReplicates.filter { $0 <= margin }.count)
        return ((1 + atOrAbove) / total, (1 + atOrBelow) / total)
    }

    /// The one-sided percentile bound on the aggregate's difference at 1 − α.
    public func bootstrapBound(alpha: Double, upper: Bool) -> Double {
        let sorted = bootstrapReplicates.sorted()
        return Bootstrap.quantile(sorted, upper ? 1 - alpha : alpha)
    }
}
