import Foundation
import Testing
import Training
@testable import Tuning

/// A network's width decides how its initial weights are drawn, so with a fixed seed each width has a
/// luck of its own that its runs keep as the other parameters move (Decisions/0022). The process learns
/// how much of the scatter is such luck, predicts it only for runs of the same width, and the sampler
/// uses it: it comes back to a lucky width and refines the rest there.
@Suite struct WholeNumberLuckTests {
    static let space: [(String, SearchDimension)] = [("lr", .number(low: 1e-3, high: 1e-1, logarithmic: true, whole: false)),
                                                     ("width", .number(low: 8, high: 64, logarithmic: true, whole: true))]
    /// The same space with the width told as a continuous number (the objective rounds it either way).
    static let continuous: [(String, SearchDimension)] = [("lr", space[0].1), ("width", .number(low: 8, high: 64, logarithmic: true, whole: false))]
    static let widths: [Double] = [8, 11, 13, 17, 20, 26, 31, 40, 52, 64]

    /// A fixed pseudo-random number in [0, 1) for each whole number, as a seed would give.
    static func luck(_ width: Double) -> Double {
        var z = UInt64(width) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }

    /// A learning-rate valley at 0.01, plus each width's luck (`luckSize`), plus a slight trend in width.
    static func loss(_ point: [String: TrialValue], luckSize: Double) -> Double {
        guard case let .number(lr) = point["lr"], case let .number(width) = point["width"] else { return .infinity }
        let rate = log10(lr) + 2
        return 0.2 + 0.3 * rate * rate + luckSize * luck(width.rounded()) + 0.002 * (64 - width) / 56
    }

    /// Observations at `widths`, each at three learning rates.
    static func history(widths: [Double], luckSize: Double) -> [Observation] {
        widths.flatMap { width in [0.002, 0.01, 0.05].map { lr -> Observation in
            let point: [String: TrialValue] = ["lr": .number(lr), "width": .number(width)]
            return Observation(parameters: point, loss: loss(point, luckSize: luckSize))
        } }
    }

    static func fitted(_ history: [Observation]) throws -> GaussianProcess {
        try #require(GPSampler().fit(space, history: history)).process
    }

    @Test func theSharedVarianceIsLearnedNotAssumed() throws {
        let lucky = try Self.fitted(Self.history(widths: Self.widths, luckSize: 0.2))
        let smooth = try Self.fitted(Self.history(widths: Self.widths, luckSize: 0))
        #expect(lucky.shared > 0.1, "with luck: \(lucky.shared)")
        #expect(smooth.shared < 0.01, "without: \(smooth.shared)")
        // Only a space with a whole dimension has the term at all.
        #expect(try #require(GPSampler().fit(Self.continuous, history: Self.history(widths: Self.widths, luckSize: 0.2))).process.shared == 0)
    }

    /// The luckiest width seen is predicted to stay lucky at a learning rate it was not run at, and its
    /// neighbour, which has no runs, is not.
    @Test func aLuckyWidthIsPredictedLuckyOnlyForItself() throws {
        let widths = Self.widths
        let history = Self.history(widths: widths, luckSize: 0.2)
        let model = try #require(GPSampler().fit(Self.space, history: history))
        let luckiest = widths.min { Self.luck($0) < Self.luck($1) }!
        let unluckiest = widths.max { Self.luck($0) < Self.luck($1) }!
        let at = { (width: Double) -> [String: TrialValue] in ["lr": .number(0.008), "width": .number(width)] }
        let predicted = model.predictions([at(luckiest), at(unluckiest), at(luckiest + 1)]).map { $0!.loss }
        let truth = [at(luckiest), at(unluckiest)].map { Self.loss($0, luckSize: 0.2) }
        #expect(abs(predicted[0] - truth[0]) < 0.02 && abs(predicted[1] - truth[1]) < 0.03, "\(predicted) vs \(truth)")
        #expect(predicted[0] < predicted[2] - 0.02, "the neighbour \(luckiest + 1) inherits no luck: \(predicted)")
    }

    /// Over seven seeds, the sampler finds a lower loss in 30 trials when it knows the width is whole
    /// than when it is told the width is a continuous number (the objective rounds it either way), in
    /// most seeds and in the median, and it comes back to widths it has run.
    @Test func theSamplerReturnsToLuckyWidths() {
        var told: [Double] = [], untold: [Double] = [], repeats: [Int] = []
        for seed in UInt64(1)...7 {
            var generator = SeededGenerator(seed: seed)
            var history: [Observation] = []
            for _ in 0..<30 {
                let point = GPSampler().suggest(Self.space, history: history, count: 1, generator: &generator)[0]
                history.append(Observation(parameters: point, loss: Self.loss(point, luckSize: 0.2)))
            }
            told.append(history.map(\.loss).min()!)
            let widths = history.dropFirst(10).map { $0.parameters["width"]! }
            repeats.append(widths.count - Set(widths).count)
            untold.append(GPSamplerTests.optimise(Self.continuous, trials: 30, seed: seed) { Self.loss($0, luckSize: 0.2) }.min()!)
        }
        #expect(GPSamplerTests.median(told) < GPSamplerTests.median(untold), "whole \(told) vs continuous \(untold)")
        #expect(zip(told, untold).filter { $0 < $1 }.count >= 5, "whole \(told) vs continuous \(untold)")
        #expect(GPSamplerTests.median(repeats.map(Double.init)) >= 5, "widths run again after the start-up: \(repeats)")
    }
}
