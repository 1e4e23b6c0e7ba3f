import Foundation
import Testing
import Training
@testable import Statistics

/// The expanded bootstrap of means (`LinearBootstrap`) and DeLong's interval stand in for resampling
/// when samples are large: on samples small enough to resample many times, they must give what the
/// resampling gives, to within its Monte Carlo error, on skewed data where a plain normal curve would not.
@Suite struct LinearBootstrapTests {
    static func exponential(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in -log(1 - generator.nextUnitDouble()) }
    }

    @Test func aMeansExpansionGivesTheResampledQuantilesProbabilitiesAndBCaInterval() {
        var data = SeededGenerator(seed: 5)
        // Skewness 2 per value: the mean of 400 has γ₁ = 0.1, which moves its 97.5 % quantile by 0.047 SE.
        let one = [Self.exponential(400, &data)]
        let two = [Self.exponential(400, &data), Self.exponential(300, &data).map { 0.9 * $0 }]
        for (samples, signs) in [(one, [1.0]), (two, [1.0, -1.0])] {
            let statistic: ([[Double]]) -> Double = { s in zip(s, signs).reduce(0) { $0 + $1.1 * Descriptive.mean($1.0) } }
            var resampling = SeededGenerator(seed: 9)
            let replicates = Bootstrap.replicates(samples, resamples: 40_000, generator: &resampling, statistic: statistic)
            let sorted = replicates.sorted()
            let expansion = LinearBootstrap(samples, signs: signs)
            let se = expansion.standardError
            #expect(abs(expansion.estimate - statistic(samples)) < 1e-12)
            #expect(abs(se - Descriptive.standardDeviation(replicates)) < 0.02 * se)
            // 40,000 resamples place a 2.5 % quantile to about 0.014 SE; the series must agree to 0.04 SE.
            for p in [0.025, 0.05, 0.5, 0.95, 0.975] {
                let drawn = Bootstrap.quantile(sorted, p), series = expansion.quantile(p)
                #expect(abs(drawn - series) < 0.04 * se, "quantile \(p): resampled \(drawn), expanded \(series)")
            }
            let normalEnd = expansion.estimate + Normal.quantile(0.975) * se
            #expect(abs(Bootstrap.quantile(sorted, 0.975) - normalEnd) > 0.04 * se || signs.count == 2,
                    "the skew is visible: a normal curve misses the resampled 97.5 % quantile")
            for z in [-2.0, -1.0, 0.0, 1.0, 2.0] {
                let x = expansion.estimate + z * se
                let below = Double(replicates.filter { $0 <= x }.count) / Double(replicates.count)
                #expect(abs(expansion.cdf(x) - below) < 0.006, "P(θ* ≤ θ̂ + \(z) SE): resampled \(below), expanded \(expansion.cdf(x))")
                #expect(abs(expansion.survival(x) - (1 - below)) < 0.006)
            }
            let drawn = Bootstrap.interval(samples, replicates: replicates, level: 0.95, method: .bca, statistic: statistic)
            let series = expansion.interval(level: 0.95, method: .bca)
            #expect(abs(drawn.low - series.low) < 0.05 * se && abs(drawn.high - series.high) < 0.05 * se, "BCa: resampled \(drawn), expanded \(series)")
        }
    }

    @Test func aSampleOfOneValueRepeatedHasAPointDistribution() {
        let expansion = LinearBootstrap([[2, 2, 2]], signs: [1], constant: -5)
        #expect(expansion.estimate == -3 && expansion.standardError == 0)
        #expect(expansion.quantile(0.025) == -3 && expansion.interval(method: .bca) == (-3, -3))
        #expect(expansion.cdf(-3) == 1 && expansion.cdf(-3.1) == 0 && expansion.survival(-3) == 1 && expansion.survival(-2.9) == 0)
    }

    @Test func farTailsStayProbabilities() {
        var data = SeededGenerator(seed: 3)
        let expansion = LinearBootstrap([Self.exponential(50, &data)], signs: [1])
        for z in stride(from: -60.0, through: 60, by: 0.5) {
            let x = expansion.estimate + z * expansion.standardError
            #expect((0...1).contains(expansion.cdf(x)) && (0...1).contains(expansion.survival(x)))
        }
        #expect(expansion.cdf(-.infinity) == 0 && expansion.survival(.infinity) == 0)
    }

    @Test func deLongsIntervalAgreesWithTheBootstrapOfTheProbabilityOfSuperiority() {
        var data = SeededGenerator(seed: 21)
        // Ties included: values on a grid of 0.05.
        let a = Self.exponential(600, &data).map { ($0 * 20).rounded() / 20 + 0.2 }
        let b = Self.exponential(500, &data).map { ($0 * 20).rounded() / 20 }
        let mannWhitney = MannWhitney(a, b)!
        let delong = SuperiorityInterval.delong(a, b)!
        #expect(abs(delong.value - mannWhitney.probabilityOfSuperiority) < 1e-12)
        var resampling = SeededGenerator(seed: 4)
        let replicates = Bootstrap.replicates([a, b], resamples: 2000, generator: &resampling) { MannWhitney($0[0], $0[1])!.probabilityOfSuperiority }
        let drawn = Bootstrap.interval([a, b], replicates: replicates, level: 0.95, method: .percentile) { MannWhitney($0[0], $0[1])!.probabilityOfSuperiority }
        let width = drawn.high - drawn.low
        #expect(abs(delong.low - drawn.low) < 0.06 * width && abs(delong.high - drawn.high) < 0.06 * width, "DeLong \(delong) vs bootstrap \(drawn)")
        #expect(SuperiorityInterval.delong([1], b) == nil && SuperiorityInterval.delong([1, .nan], b) == nil)
    }
}
