import Foundation
import Testing
@testable import Training

/// Issue 18's training core: the Gaussian log-likelihoods, the prior's weight decay, target
/// standardisation, input dropout, the test part and training without validation rows.
@Suite struct RegressionUncertaintyTests {
    /// y = 3 x₀ − 2 x₁ + 10 + noise, in units far from 1 (so standardising matters).
    static func regression(rows: Int, seed: UInt64) -> TrainingData {
        var generator = SeededGenerator(seed: seed)
        var features: [Float] = [], targets: [Float] = []
        for _ in 0..<rows {
            let a = Float(generator.nextUnitDouble() * 4 - 2), b = Float(generator.nextUnitDouble() * 4 - 2)
            features += [a, b]
            targets.append(300 * a - 200 * b + 1000 + Float(generator.nextUnitDouble() - 0.5) * 20)
        }
        return TrainingData(features: Matrix(rows: rows, columns: 2, values: features), targets: targets, task: .regression)
    }

    /// A direct computation on a tiny example: two points, three passes, τ = 2.
    @Test func monteCarloLogLikelihoodIsTheLogDensityOfTheMixture() {
        let targets = [1.0, -0.5], tau = 2.0
        let passes = [[0.8, -0.2], [1.5, -0.9], [1.1, 0.4]]
        var accumulator = GaussianLikelihood.MonteCarlo(targets: targets, tau: tau)
        for pass in passes {
            for (index, prediction) in pass.enumerated() { accumulator.add(prediction, at: index) }
            accumulator.finishPass()
        }
        // Mean over points of log( (1/T) Σ_t N(y; ŷ_t, 1/τ) ).
        var direct = 0.0
        for index in targets.indices {
            let density = passes.map { pass in (tau / (2 * Double.pi)).squareRoot() * exp(-0.5 * tau * pow(targets[index] - pass[index], 2)) }
            direct += log(density.reduce(0, +) / Double(passes.count))
        }
        direct /= Double(targets.count)
        #expect(abs(accumulator.value - direct) < 1e-12)
        // One pass is the standard log-likelihood.
        var single = GaussianLikelihood.MonteCarlo(targets: targets, tau: tau)
        for (index, prediction) in passes[0].enumerated() { single.add(prediction, at: index) }
        single.finishPass()
        #expect(abs(single.value - GaussianLikelihood.standard(predictions: passes[0], targets: targets, tau: tau)) < 1e-12)
        // Far-off passes do not underflow the log-sum-exp.
        var far = GaussianLikelihood.MonteCarlo(targets: [0], tau: 1)
        far.add(1000, at: 0); far.finishPass(); far.add(1001, at: 0); far.finishPass()
        #expect(far.value.isFinite && abs(far.value - (-500_000 + log((1 + exp(-1000.5)) / 2) - 0.5 * log(2 * Double.pi))) < 1e-6)
    }

    @Test func weightDecayFromThePrior() {
        var configuration = TrainingConfiguration()
        configuration.dropout = 0.05
        configuration.tau = 0.5
        configuration.priorLengthscale = 0.01
        // λ = ℓ² (1 − p) / (N τ) = 1e-4 · 0.95 / (900 · 0.5).
        #expect(abs(Double(configuration.effectiveWeightDecay(trainingRows: 900)) - 1e-4 * 0.95 / 450) < 1e-12)
        configuration.priorLengthscale = nil
        configuration.weightDecay = 0.3
        #expect(configuration.effectiveWeightDecay(trainingRows: 900) == 0.3)
    }

    @Test func standardisedTargetsPredictInTheTargetsUnits() {
        let data = Self.regression(rows: 600, seed: 1)
        let (trainRows, validationRows) = data.stratifiedSplit(validationFraction: 0.2, seed: 0)
        var configuration = TrainingConfiguration()
        configuration.hidden = [16]
        configuration.epochs = 60
        configuration.learningRate = 0.01
        configuration.standardizeTargets = true
        let result = Trainer.train(configuration, training: data.subset(trainRows), validation: data.subset(validationRows))
        // The network itself predicts in the targets' units: its validation error is a few units, not hundreds.
        let rmse = result.metrics["val_rmse"]!
        #expect(rmse < 40 && abs(rmse - result.metrics["val_mse"]!.squareRoot()) < 1e-9)
        var network = result.network
        let scaled = result.scaler.transform(data.subset(validationRows).features)
        var none: SeededGenerator? = nil
        let predictions = network.forward(scaled, generator: &none)
        let targets = data.subset(validationRows).targets
        let direct = (zip(predictions.values, targets).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(targets.count)).squareRoot()
        #expect(abs(direct - rmse) < 1e-3 * rmse)
    }

    @Test func testPartAndNoValidationRows() {
        let data = Self.regression(rows: 500, seed: 2)
        let (kept, held) = data.stratifiedSplit(validationFraction: 0.1, seed: 3, stream: 7)
        var configuration = TrainingConfiguration()
        configuration.hidden = [16]
        configuration.epochs = 20
        configuration.dropout = 0.1
        configuration.inputDropout = 0.1
        configuration.monteCarloSamples = 50
        configuration.tau = 0.01
        configuration.priorLengthscale = 0.01
        configuration.standardizeTargets = true
        let empty = data.subset([])
        let result = Trainer.train(configuration, training: data.subset(kept), validation: empty, test: data.subset(held))
        #expect(result.divergedAt == nil && result.curve.count == 20 && result.curve.allSatisfy { $0.validationLoss.isNaN })
        for key in ["test_rmse", "test_rmse_mc", "test_ll", "test_ll_mc", "test_loss", "test_uncertainty"] {
            #expect(result.metrics[key]?.isFinite == true, "\(key)")
        }
        #expect(!result.metrics.keys.contains { $0.hasPrefix("val_") })
        #expect(abs(result.metrics["test_rmse"]! - result.metrics["test_loss"]!.squareRoot()) < 1e-9)
        // Bit-identical for one seed, with input dropout and MC passes.
        let again = Trainer.train(configuration, training: data.subset(kept), validation: empty, test: data.subset(held))
        #expect(again.network.flattenedParameters == result.network.flattenedParameters && again.metrics == result.metrics)
    }

    /// Input dropout changes training (and only when set): the same seed with and without it differs,
    /// and 0 gives exactly the network of before.
    @Test func inputDropoutIsAppliedOnlyWhenSet() {
        let data = Self.regression(rows: 200, seed: 4)
        let (trainRows, validationRows) = data.stratifiedSplit(validationFraction: 0.2, seed: 0)
        var configuration = TrainingConfiguration()
        configuration.hidden = [8]
        configuration.epochs = 3
        let plain = Trainer.train(configuration, training: data.subset(trainRows), validation: data.subset(validationRows))
        configuration.inputDropout = 0.3
        let dropped = Trainer.train(configuration, training: data.subset(trainRows), validation: data.subset(validationRows))
        #expect(plain.network.flattenedParameters != dropped.network.flattenedParameters)
        configuration.inputDropout = 0
        let again = Trainer.train(configuration, training: data.subset(trainRows), validation: data.subset(validationRows))
        #expect(again.network.flattenedParameters == plain.network.flattenedParameters)
    }
}
