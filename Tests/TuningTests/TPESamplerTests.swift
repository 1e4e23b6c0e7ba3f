import Foundation
import Testing
import Training
@testable import Tuning

/// The TPE sampler on seeded synthetic objectives: it finds the good region in a fixed number of
/// trials, does better than random search, follows a categorical branch, is deterministic and never
/// proposes a point it was told to avoid.
@Suite struct TPESamplerTests {
    static let bowl: [(String, SearchDimension)] = [("x", .number(low: -1, high: 1, logarithmic: false, whole: false)),
                                                    ("lr", .number(low: 1e-4, high: 1, logarithmic: true, whole: false))]

    /// (x − 0.3)² + (log10 lr + 2)²: minimum 0 at x = 0.3, lr = 0.01.
    static func bowlLoss(_ point: [String: TrialValue]) -> Double {
        guard case let .number(x) = point["x"], case let .number(lr) = point["lr"] else { return .infinity }
        return (x - 0.3) * (x - 0.3) + (log10(lr) + 2) * (log10(lr) + 2)
    }

    /// Runs `trials` one at a time (batch 1) and returns every loss in order.
    static func optimise(_ space: [(String, SearchDimension)], trials: Int, seed: UInt64, random: Bool = false,
                         loss: ([String: TrialValue]) -> Double) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var sampler = TPESampler()
        if random { sampler.startupTrials = .max }
        var history: [Observation] = []
        for _ in 0..<trials {
            let point = sampler.suggest(space, history: history, count: 1, generator: &generator)[0]
            history.append(Observation(parameters: point, loss: loss(point)))
        }
        return history.map(\.loss)
    }

    @Test func findsTheBowlsMinimumAndBeatsRandomSearch() {
        var tpeBest: [Double] = [], randomBest: [Double] = []
        for seed in UInt64(1)...7 {
            tpeBest.append(Self.optimise(Self.bowl, trials: 40, seed: seed, loss: Self.bowlLoss).min()!)
            randomBest.append(Self.optimise(Self.bowl, trials: 40, seed: seed, random: true, loss: Self.bowlLoss).min()!)
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        #expect(median(tpeBest) < 0.02, "TPE best after 40 trials: \(tpeBest)")
        #expect(median(tpeBest) < median(randomBest), "TPE \(tpeBest) vs random \(randomBest)")
    }

    static let branch: [(String, SearchDimension)] = [("optimizer", .categories(["sgd", "adam", "momentum"])),
                                                      ("x", .number(low: 0, high: 1, logarithmic: false, whole: false))]

    /// (x − 0.5)² with adam, 1 + x with the others: every loss below 1 is an adam trial.
    static func branchLoss(_ point: [String: TrialValue]) -> Double {
        guard case let .category(name) = point["optimizer"], case let .number(x) = point["x"] else { return .infinity }
        return name == "adam" ? (x - 0.5) * (x - 0.5) : 1 + x
    }

    @Test func followsTheCategoricalBranch() {
        let losses = Self.optimise(Self.branch, trials: 40, seed: 5, loss: Self.branchLoss)
        let late = losses.suffix(20).filter { $0 < 1 }.count
        #expect(late >= 14, "adam chosen \(late) of the last 20 trials")
    }

    @Test func theSameSeedGivesTheSameSuggestions() {
        let first = Self.optimise(Self.bowl, trials: 25, seed: 3, loss: Self.bowlLoss)
        let second = Self.optimise(Self.bowl, trials: 25, seed: 3, loss: Self.bowlLoss)
        let other = Self.optimise(Self.bowl, trials: 25, seed: 4, loss: Self.bowlLoss)
        #expect(first == second && first != other)
    }

    /// A small whole-number space: a batch never repeats a point, nor one it was told is known.
    static let smallWholeSpace: [(String, SearchDimension)] = [("hidden", .number(low: 1, high: 6, logarithmic: false, whole: true)),
                                                               ("act", .categories(["relu", "tanh"]))]

    @Test func neverProposesAnExcludedPointAndBatchesAreDistinct() {
        let space = Self.smallWholeSpace
        var generator = SeededGenerator(seed: 9)
        let known: [[String: TrialValue]] = (1...6).map { ["hidden": .number(Double($0)), "act": .category("relu")] }
        let history = known.map { Observation(parameters: $0, loss: Double($0["hidden"] == .number(3) ? 0 : 1)) }
        let batch = TPESampler().suggest(space, history: history, count: 5, excluded: Set(known), generator: &generator)
        #expect(Set(batch).count == 5)
        #expect(Set(batch).isDisjoint(with: Set(known)))
        for point in batch {
            guard case let .number(hidden) = point["hidden"] else { Issue.record("no hidden"); continue }
            #expect(hidden == hidden.rounded() && (1...6).contains(hidden))
        }
    }

    @Test func failedTrialsCountAsBad() {
        #expect(Observation(parameters: [:], loss: .nan).loss == .infinity)
        #expect(TPESampler.goodCount(10) == 1 && TPESampler.goodCount(11) == 2 && TPESampler.goodCount(1000) == 25)
    }
}
