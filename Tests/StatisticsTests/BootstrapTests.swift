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

    /// Over 1,000 values a sample is jackknifed by 1,000 groups (a verdict over 100,000 experiments had
    /// spent most of its time leaving out one value at a time): the acceleration stays that of the
    /// one-value jackknife, for one skewed sample and for a difference of two, and does not depend on
    /// the order of the values.
    @Test func theGroupJackknifeEstimatesTheSameAcceleration() {
        var generator = SeededGenerator(seed: 11)
        // Exponential values (skewness 2) and a lighter-tailed second group.
        let skewed = (0..<3000).map { _ in -log(Double.random(in: Double.ulpOfOne..<1, using: &generator)) }
        let other = (0..<2500).map { _ in Double.random(in: 0..<1, using: &generator) + 0.3 * -log(Double.random(in: Double.ulpOfOne..<1, using: &generator)) }
        for (samples, statistic) in [([skewed], Self.mean), ([skewed, other], Self.meanDifference)] as [([[Double]], ([[Double]]) -> Double)] {
            let exact = Bootstrap.acceleration(samples, groupLimit: .max, statistic: statistic)
            let grouped = Bootstrap.acceleration(samples, statistic: statistic)
            let sorted = Bootstrap.acceleration(samples.map { $0.sorted() }, statistic: statistic)
            #expect(exact > 0.001, "a skewed sample has a clear acceleration: \(exact)")
            #expect(abs(grouped - exact) < 0.25 * exact, "grouped \(grouped) vs one value at a time \(exact)")
            #expect(abs(sorted - exact) < 0.25 * exact, "sorted values, grouped: \(sorted) vs \(exact)")
            // What the difference does to the interval: the upper end's level Φ(z/(1 − âz)) (ẑ₀ = 0 here)
            // moves by less than 0.0005 (a 97.5 % end read at 97.55 % at most).
            func upperLevel(_ a: Double) -> Double { let z = Normal.quantile(0.975); return Normal.cdf(z / (1 - a * z)) }
            #expect(abs(upperLevel(grouped) - upperLevel(exact)) < 0.0005 && abs(upperLevel(sorted) - upperLevel(exact)) < 0.0005)
        }
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
