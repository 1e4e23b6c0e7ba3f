import Foundation
import Testing
import Training
@testable import Statistics

/// Bootstrap intervals: on the exact bootstrap distribution of tiny samples (every resample
/// enumerated, as the reference script does with scipy's BCa formulas), and their coverage on
/// simulated data.
@Suite struct BootstrapTests {
    static func mean(_ samples: [[Double]]) -> Double { Descriptive.mean(samples[0]) }
    static func meanDifference(_ samples: [[Double]]) -> Double { Descriptive.mean(samples[0]) - Descriptive.mean(samples[1]) }

    /// Every resample of every sample (n₁^n₁ · n₂^n₂ of them), each once.
    static func enumerated(_ samples: [[Double]], statistic: ([[Double]]) -> Double) -> [Double] {
        func all(_ sample: [Double]) -> [[Double]] {
            var result: [[Double]] = [[]]
            for _ in sample.indices { result = result.flatMap { prefix in sample.map { prefix + [$0] } } }
            return result
        }
        var combos: [[[Double]]] = [[]]
        for sample in samples { combos = combos.flatMap { prefix in all(sample).map { prefix + [$0] } } }
        return combos.map(statistic)
    }

    @Test func intervalsOnTheExactBootstrapDistributionMatchTheReference() {
        let cases = Reference.cases("bootstrap")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let samples = (c["samples"] as! [[Double]])
            let statistic: ([[Double]]) -> Double = (c["statistic"] as! String) == "mean" ? Self.mean : Self.meanDifference
            let replicates = Self.enumerated(samples, statistic: statistic)
            for method in [Bootstrap.Method.percentile, .bca] {
                let expected = c[method == .bca ? "bca" : "percentile"] as! [Double]
                let interval = Bootstrap.interval(samples, replicates: replicates, level: 0.9, method: method, statistic: statistic)
                #expect(close(interval.low, expected[0], 1e-9) && close(interval.high, expected[1], 1e-9),
                        "case \(index) \(method): \(interval) vs \(expected)")
            }
        }
    }

    @Test func theSameSeedGivesTheSameInterval() {
        let samples = [[0.12, 0.15, 0.11, 0.18, 0.14], [0.2, 0.22, 0.19, 0.25]]
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7), other = SeededGenerator(seed: 8)
        let a = Bootstrap.interval(samples, resamples: 2000, generator: &first, statistic: Self.meanDifference)
        let b = Bootstrap.interval(samples, resamples: 2000, generator: &second, statistic: Self.meanDifference)
        let c = Bootstrap.interval(samples, resamples: 2000, generator: &other, statistic: Self.meanDifference)
        #expect(a.low == b.low && a.high == b.high)
        #expect(a.low != c.low || a.high != c.high)
    }

    /// 95 % intervals for a difference of means cover the true difference 95 % ± 2 % of the time, over
    /// 2,000 simulated pairs of groups of 30 (500 resamples each, stratified by group; fewer resamples
    /// make each interval's ends noisier, not its coverage lower).
    @Test(.tags(.slow)) func ninetyFivePercentIntervalsCoverNinetyFivePercent() {
        var data = SeededGenerator(seed: 2026)
        func normal() -> Double {
            // Box–Muller from two uniforms in (0, 1].
            let u = 1 - data.nextUnitDouble(), v = data.nextUnitDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        var resampling = SeededGenerator(seed: 11)
        var covered = [Bootstrap.Method.percentile: 0, .bca: 0]
        let simulations = 2000
        for _ in 0..<simulations {
            let samples = [(0..<30).map { _ in 1 + normal() }, (0..<30).map { _ in 2 * normal() }]
            let replicates = Bootstrap.replicates(samples, resamples: 500, generator: &resampling, statistic: Self.meanDifference)
            for method in [Bootstrap.Method.percentile, .bca] {
                let interval = Bootstrap.interval(samples, replicates: replicates, level: 0.95, method: method, statistic: Self.meanDifference)
                if interval.low <= 1 && 1 <= interval.high { covered[method]! += 1 }
            }
        }
        for (method, count) in covered {
            let rate = Double(count) / Double(simulations)
            #expect(rate >= 0.93 && rate <= 0.97, "\(method) coverage \(rate)")
        }
    }
}
