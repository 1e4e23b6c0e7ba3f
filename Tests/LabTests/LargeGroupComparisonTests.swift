import Foundation
import Testing
import Statistics
import Training
@testable import Journal
@testable import JournalStore
@testable import Lab

/// Groups of 10,000 runs and more are not resampled (10⁹ draws at 100,000): a mean's bootstrap comes
/// from its expansion and P(A > B)'s interval from DeLong, and they say what the t-test says.
@Suite struct LargeGroupComparisonTests {
    @Test func largeGroupsUseTheExpansionAndDeLongAndAgreeWithTheTTest() throws {
        var generator = SeededGenerator(seed: 17)
        func exponential(_ count: Int, scale: Double) -> [Double] { (0..<count).map { _ in -scale * log(1 - generator.nextUnitDouble()) } }
        let left = exponential(12_000, scale: 1.0), right = exponential(10_500, scale: 1.05)
        let comparison = GroupComparison(left: left, right: right, margin: 0, paired: false, aggregate: .mean, alpha: 0.05)
        let expansion = try #require(comparison.bootstrapExpansion)
        #expect(comparison.bootstrapReplicates.isEmpty && comparison.superiorityByDeLong)
        let t = try #require(comparison.tInterval), bootstrap = try #require(comparison.bootstrapInterval)
        let width = t.high - t.low
        #expect(abs(bootstrap.low - t.low) < 0.03 * width && abs(bootstrap.high - t.high) < 0.03 * width, "t \(t) vs BCa \(bootstrap)")
        #expect(abs(expansion.estimate - (Descriptive.mean(left) - Descriptive.mean(right))) < 1e-12)
        let p = comparison.bootstrapP(margin: expansion.estimate)
        #expect(abs(p.less - 0.5) < 0.01 && abs(p.greater - 0.5) < 0.01)
        let test = try #require(comparison.test)
        let pBootstrap = comparison.bootstrapP(margin: 0)
        #expect(abs(pBootstrap.less - test.pLess) < 0.01 && abs(pBootstrap.greater - test.pGreater) < 0.01,
                "the bootstrap's one-sided p \(pBootstrap) and Welch's (\(test.pLess), \(test.pGreater))")
        let superiority = try #require(comparison.superiority)
        #expect(superiority.low < superiority.value && superiority.value < superiority.high && superiority.high - superiority.low < 0.05)

        let small = GroupComparison(left: Array(left.prefix(50)), right: Array(right.prefix(50)), margin: 0, paired: false, aggregate: .mean, alpha: 0.05)
        #expect(small.bootstrapExpansion == nil && small.bootstrapReplicates.count == Bootstrap.defaultResamples && !small.superiorityByDeLong)
    }

    /// `prob(…)` over 10,000 runs a side is tested with DeLong's normal approximation, not 10,000
    /// resampled rank statistics, and decides as the data say.
    @Test func probabilityPredictionsOverLargeGroupsUseDeLong() throws {
        var generator = SeededGenerator(seed: 23)
        var experiments: [ExperimentRecord] = []
        for index in 0..<20_000 {
            var bytes = [UInt8](repeating: 0, count: 20)
            (bytes[0], bytes[1]) = (UInt8(index & 0xff), UInt8(index >> 8))
            let id = TreeID(ObjectID(bytes: bytes))
            let dropout = index % 2 == 0 ? 0.5 : 0.0
            // With dropout the loss is lower by 0.1 on noise of sd about 0.29: P(A < B) ≈ 0.6.
            let loss = 1 + generator.nextUnitDouble() - (dropout > 0 ? 0.1 : 0)
            experiments.append(ExperimentRecord(id: id, runKey: id, datasetID: nil, params: ["dropout": .number(dropout), "seed": .number(Double(index))],
                                                metrics: ["val_loss": .number(loss)], curves: [:], run: ["status": "ok"], weights: nil))
        }
        let hypothesis = Hypothesis(name: "h", statement: "s", predictions: try [
            "prob(val_loss | dropout=0.5 < dropout=0) > 0.55",
            "prob(val_loss | dropout=0.5 < dropout=0) > 0.65",
        ].map(PredictionParser.parse), verdict: nil)
        let verdict = try VerdictEvaluator().judge(hypothesis, experiments: experiments)
        #expect(verdict.results.map(\.status) == [.supported, .falsified])
        #expect(verdict.results.allSatisfy { $0.evidence?.name == "DeLong test of P(A < B)" })
    }
}
