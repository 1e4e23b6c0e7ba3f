import Foundation
import Testing
import Training
@testable import Tuning

/// The Gaussian-process sampler on seeded synthetic objectives: it finds the bowl's minimum closer than
/// TPE in the same trials, follows a categorical branch, is deterministic, never proposes a point it was
/// told to avoid, and spreads a batch out.
@Suite struct GPSamplerTests {
    /// Runs `trials` one at a time and returns every loss in order.
    static func optimise(_ space: [(String, SearchDimension)], trials: Int, seed: UInt64, loss: ([String: TrialValue]) -> Double) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let sampler = GPSampler()
        var history: [Observation] = []
        for _ in 0..<trials {
            let point = sampler.suggest(space, history: history, count: 1, generator: &generator)[0]
            history.append(Observation(parameters: point, loss: loss(point)))
        }
        return history.map(\.loss)
    }

    static let median = { (values: [Double]) in values.sorted()[values.count / 2] }

    @Test func findsTheBowlsMinimumCloserThanTPE() {
        var gpBest: [Double] = [], tpeBest: [Double] = []
        for seed in UInt64(1)...7 {
            gpBest.append(Self.optimise(TPESamplerTests.bowl, trials: 30, seed: seed, loss: TPESamplerTests.bowlLoss).min()!)
            tpeBest.append(TPESamplerTests.optimise(TPESamplerTests.bowl, trials: 30, seed: seed, loss: TPESamplerTests.bowlLoss).min()!)
        }
        #expect(Self.median(gpBest) < 0.002, "GP best after 30 trials: \(gpBest)")
        #expect(Self.median(gpBest) < Self.median(tpeBest) / 4, "GP \(gpBest) vs TPE \(tpeBest)")
    }

    /// Four parameters of which two matter (a learning-rate valley and a width that helps, plus two
    /// that do not), with failures where the rate is too high: what a small network's search looks like.
    @Test func aSearchWithIrrelevantParametersAndFailuresBeatsTPE() {
        let space: [(String, SearchDimension)] = [("lr", .number(low: 1e-4, high: 1e-1, logarithmic: true, whole: false)),
                                                  ("hidden", .number(low: 16, high: 256, logarithmic: true, whole: true)),
                                                  ("dropout", .number(low: 0, high: 0.6, logarithmic: false, whole: false)),
                                                  ("decay", .number(low: 0, high: 0.001, logarithmic: false, whole: false))]
        func loss(_ point: [String: TrialValue]) -> Double {
            guard case let .number(lr) = point["lr"], case let .number(hidden) = point["hidden"] else { return .infinity }
            let rate = log10(lr)
            if rate > -1.3 { return .infinity }
            return 0.1 + 0.4 * (rate + 2.2) * (rate + 2.2) + 0.3 / hidden.squareRoot()
        }
        var gpBest: [Double] = [], tpeBest: [Double] = []
        for seed in UInt64(1)...5 {
            gpBest.append(Self.optimise(space, trials: 30, seed: seed, loss: loss).min()!)
            tpeBest.append(TPESamplerTests.optimise(space, trials: 30, seed: seed, loss: loss).min()!)
        }
        #expect(Self.median(gpBest) < Self.median(tpeBest), "GP \(gpBest) vs TPE \(tpeBest)")
        #expect(Self.median(gpBest) < 0.1 + 0.3 / 256.squareRoot() + 0.005, "GP best after 30 trials: \(gpBest)")
    }

    @Test func followsTheCategoricalBranch() {
        let losses = Self.optimise(TPESamplerTests.branch, trials: 30, seed: 5, loss: TPESamplerTests.branchLoss)
        let late = losses.suffix(15).filter { $0 < 1 }.count
        #expect(late >= 9, "adam chosen \(late) of the last 15 trials")
        #expect(losses.min()! < 1e-3)
    }

    @Test func theSameSeedGivesTheSameSuggestions() {
        let first = Self.optimise(TPESamplerTests.bowl, trials: 16, seed: 3, loss: TPESamplerTests.bowlLoss)
        let second = Self.optimise(TPESamplerTests.bowl, trials: 16, seed: 3, loss: TPESamplerTests.bowlLoss)
        let other = Self.optimise(TPESamplerTests.bowl, trials: 16, seed: 4, loss: TPESamplerTests.bowlLoss)
        #expect(first == second && first != other)
    }

    /// A small whole-number space: a batch never repeats a point, nor one it was told is known.
    @Test func neverProposesAnExcludedPointAndBatchesAreDistinct() {
        let space = TPESamplerTests.smallWholeSpace
        var generator = SeededGenerator(seed: 9)
        let known: [[String: TrialValue]] = (1...6).flatMap { h in ["relu", "tanh"].prefix(h == 3 ? 1 : 2).map { ["hidden": .number(Double(h)), "act": .category($0)] } }
        let history = known.map { Observation(parameters: $0, loss: $0["hidden"] == .number(3) ? 0 : 1) }
        let batch = GPSampler().suggest(space, history: history, count: 1, excluded: Set(known), generator: &generator)
        #expect(batch == [["hidden": .number(3), "act": .category("tanh")]], "the one point left is next to the best: \(batch)")
        var early = GPSampler()
        early.startupTrials = 3
        let more = early.suggest(space, history: Array(history.prefix(5)), count: 4, excluded: Set(known.prefix(5)), generator: &generator)
        #expect(Set(more).count == 4 && Set(more).isDisjoint(with: Set(known.prefix(5))))
    }

    /// The kriging believer and the batch spacing: a batch of a smooth bowl does not pile its points on one spot.
    @Test func aBatchSpreadsOut() {
        var generator = SeededGenerator(seed: 2)
        var history: [Observation] = []
        for _ in 0..<12 {
            let point = TPESampler.random(TPESamplerTests.bowl, &generator)
            history.append(Observation(parameters: point, loss: TPESamplerTests.bowlLoss(point)))
        }
        let batch = GPSampler().suggest(TPESamplerTests.bowl, history: history, count: 4, generator: &generator)
        let units = batch.compactMap { GPSampler.encode($0, TPESamplerTests.bowl) }
        var closest = Double.infinity
        for i in 0..<4 { for j in 0..<i { closest = min(closest, hypot(units[i][0] - units[j][0], units[i][1] - units[j][1])) } }
        #expect(units.count == 4 && closest >= GPSearchModel.batchSpacing, "batch \(batch)")
    }

    /// Predictions in the loss's units: the 90 % intervals cover the truth, and the expected improvement
    /// of the log-normal closed form agrees with sampling the process's own distribution.
    @Test func predictionsCoverTheTruthAndTheirImprovementIsExact() {
        var generator = SeededGenerator(seed: 11)
        let losses = { (point: [String: TrialValue]) in 0.05 + TPESamplerTests.bowlLoss(point) }
        var history: [Observation] = []
        for _ in 0..<25 {
            let point = TPESampler.random(TPESamplerTests.bowl, &generator)
            history.append(Observation(parameters: point, loss: losses(point)))
        }
        let points = (0..<20).map { _ in TPESampler.random(TPESamplerTests.bowl, &generator) }
        let predictions = try! #require(GPSampler().fit(TPESamplerTests.bowl, history: history)?.predictions(points))
        let covered = zip(points, predictions).filter { point, prediction in (prediction!.low...prediction!.high).contains(losses(point)) }.count
        #expect(covered >= 16, "\(covered) of 20 inside their 90 % intervals")
        #expect(GPSampler().fit(TPESamplerTests.bowl, history: Array(history.prefix(9))) == nil)

        let scale = LossScale(history.map(\.loss)), best = history.map(\.loss).min()!
        for (mean, sd) in [(-1.0, 0.4), (0.0, 0.8), (1.5, 0.3)] {
            let prediction = scale.prediction(mean: mean, sd: sd, best: best)
            var sum = 0.0, below = 0
            for _ in 0..<200_000 {
                let loss = scale.loss(mean + sd * GPSampler.normal(&generator))
                sum += max(best - loss, 0)
                if loss < best { below += 1 }
            }
            #expect(abs(prediction.expectedImprovement - sum / 200_000) < 0.02 * prediction.expectedImprovement + 1e-6, "\(prediction) vs \(sum / 200_000)")
            #expect(abs(prediction.probabilityOfImprovement - Double(below) / 200_000) < 0.005)
        }
    }

    @Test func lossesAreLoggedCappedAndStandardised() {
        let standardised = { (losses: [Double]) in losses.map(LossScale(losses).scaled) }
        let values = standardised([0.1, 0.2, 0.4, .infinity, 1e6, 0.3])
        #expect(abs(values.reduce(0, +)) < 1e-9)
        // The failure and the diverged run sit at the cap, not millions of units away.
        #expect(values[3] == values[4] && values[4] == values.max()!)
        #expect(values[0] == values.min()!)
        #expect(standardised([.infinity, .infinity]) == [0, 0])
    }
}
