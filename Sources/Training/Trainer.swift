import Foundation

/// Trains a `Network` on `TrainingData`: minibatch gradient descent with seeded shuffling,
/// per-epoch validation, optional early stopping, and optional Monte-Carlo dropout at the end.
public enum Trainer {
    /// Evaluation runs in batches of this many rows.
    static let evaluationBatch = 1024

    /// Trains and evaluates. One `seed` gives bit-identical weights and metrics on one machine.
    /// - Parameter progress: called after each epoch with its metrics (for a progress bar).
    public static func train(_ configuration: TrainingConfiguration, training: TrainingData, validation: TrainingData, test: TrainingData? = nil,
                             progress: ((EpochMetrics) -> Void)? = nil) -> TrainingResult {
        var training = training
        var validation = validation
        return train(configuration, scaling: &training, validation: &validation, test: test, progress: progress)
    }

    /// As `train`, but scales the two sets' features in place instead of copying them (for large data).
    /// - Parameter batchProgress: called after each batch with the fraction of all planned epochs done
    ///   (for a progress bar that moves from the start, even when one epoch is long).
    /// - Parameter test: rows held out from training and validation, evaluated once at the end (`test_*` metrics).
    /// - Parameter scaler: the feature scaler already fitted on `training`'s features, if the caller has it.
    public static func train(_ configuration: TrainingConfiguration, scaling training: inout TrainingData, validation: inout TrainingData,
                             test: TrainingData? = nil, scaler fitted: FeatureScaler? = nil,
                             progress: ((EpochMetrics) -> Void)? = nil, batchProgress: ((Double) -> Void)? = nil) -> TrainingResult {
        let scaler = fitted ?? FeatureScaler(fitting: training.features, mode: configuration.normalization)
        scaler.transform(&training.features)
        scaler.transform(&validation.features)
        var test = test
        if test != nil { scaler.transform(&test!.features) }
        let trainFeatures = training.features
        let validationFeatures = validation.features
        let hasValidation = validation.count > 0
        let (outputs, loss) = head(for: training.task)
        // Standardised targets for training; every evaluation maps the outputs back to the target's units.
        var targetScale: TargetScale? = nil
        if configuration.standardizeTargets, training.task == .regression, training.count > 0 {
            let scale = TargetScale(fitting: training.targets)
            scale.standardize(&training.targets)
            targetScale = scale
        }
        let weightDecay = configuration.effectiveWeightDecay(trainingRows: training.count)
        var network = initialNetwork(configuration, inputs: training.features.columns, task: training.task)
        var monitor = TrainingMonitor()
        let optimizer = Optimizer(kind: configuration.optimizer, learningRate: configuration.learningRate, momentum: configuration.momentum)
        var weightStates = network.layers.map { Optimizer.State(count: $0.weight.values.count) }
        var biasStates = network.layers.map { Optimizer.State(count: $0.bias.count) }
        var shuffleGenerator = SeededGenerator.derived(from: configuration.seed, stream: 3)
        var dropoutGenerator: SeededGenerator? = SeededGenerator.derived(from: configuration.seed, stream: 4)

        var curve: [EpochMetrics] = []
        var log: [String] = []
        if configuration.priorLengthscale != nil {
            log.append(String(format: "weight decay from the prior: l^2 (1 - p) / (N tau) = %.6g (N = %d)", Double(weightDecay), training.count))
        }
        var best: (loss: Double, epoch: Int, network: Network)? = nil
        // A run diverges when a loss or a weight stops being finite: training stops there and keeps the
        // weights and metrics of the last finite epoch, so nothing non-finite is ever recorded.
        var divergedAt: Int? = nil
        var lastFinite = network
        var order = Array(0..<training.count)
        let batchSize = min(configuration.batchSize, max(training.count, 1))
        var gradient = Matrix(rows: batchSize, columns: outputs)
        var batch = Matrix(rows: batchSize, columns: trainFeatures.columns)

        for epoch in 1...configuration.epochs {
            let started = Date()
            shuffleGenerator.shuffle(&order)
            var lossSum = 0.0
            var correct = 0
            var start = 0
            while start < order.count {
                let end = min(start + batchSize, order.count)
                let rows = order[start..<end]
                if batch.rows != rows.count { batch = Matrix(rows: rows.count, columns: trainFeatures.columns) }
                trainFeatures.gatherRows(rows, into: &batch)
                let targets = rows.map { training.targets[$0] }
                let logits = network.forward(batch, generator: &dropoutGenerator)
                if gradient.rows != rows.count { gradient = Matrix(rows: rows.count, columns: outputs) }
                let batchLoss = loss.evaluate(logits, targets: targets[...], gradient: &gradient)
                guard batchLoss.isFinite else {
                    divergedAt = epoch
                    break
                }
                lossSum += batchLoss * Double(rows.count)
                correct += countCorrect(logits, targets: targets[...], loss: loss)
                network.backward(input: batch, outputGradient: gradient, training: true)
                // The first batch of each epoch is measured for the gradient and update checks (K502, K505).
                let measured = start == 0
                if measured { monitor.recordGradients(network) }
                for index in network.layers.indices {
                    optimizer.update(&network.layers[index].weight.values, gradient: network.layers[index].weightGradient.values,
                                     state: &weightStates[index], weightDecay: weightDecay)
                    optimizer.update(&network.layers[index].bias, gradient: network.layers[index].biasGradient,
                                     state: &biasStates[index], weightDecay: 0)
                }
                if measured { monitor.recordUpdate(network) }
                start = end
                batchProgress?((Double(epoch - 1) + Double(end) / Double(order.count)) / Double(configuration.epochs))
            }
            if divergedAt != nil { break }
            let evaluation = hasValidation ? evaluate(&network, validationFeatures, targets: validation.targets, loss: loss, targetScale: targetScale)
                                           : Evaluation(loss: .nan)
            guard lossSum.isFinite, !hasValidation || evaluation.loss.isFinite, network.isFinite else {
                divergedAt = epoch
                break
            }
            // The training loss in the target's units: standardising divides squared errors by sd².
            let trainLoss = lossSum / Double(training.count) * Double(targetScale.map { $0.scale * $0.scale } ?? 1)
            var metrics = EpochMetrics(epoch: epoch, trainLoss: trainLoss, validationLoss: evaluation.loss,
                                       trainAccuracy: nil, validationAccuracy: evaluation.accuracy, validationMAE: evaluation.mae,
                                       validationR2: evaluation.r2, seconds: Date().timeIntervalSince(started))
            if loss != .meanSquaredError { metrics.trainAccuracy = Double(correct) / Double(training.count) }
            curve.append(metrics)
            log.append(describe(metrics))
            progress?(metrics)
            lastFinite = network
            // Early stopping keeps the best weights; without it the copy is not needed.
            if configuration.patience > 0, best == nil || evaluation.loss < best!.loss { best = (evaluation.loss, epoch, network) }
            if configuration.patience > 0, epoch - best!.epoch >= configuration.patience {
                log.append("early stop: validation loss has not improved for \(configuration.patience) epochs since epoch \(best!.epoch)")
                break
            }
        }

        var bestEpoch = curve.count
        if let divergedAt {
            network = lastFinite
            log.append("diverged in epoch \(divergedAt): the loss or the weights stopped being finite; " +
                       (curve.isEmpty ? "no epoch finished" : "kept the weights and metrics of epoch \(curve.count)"))
        }
        if configuration.patience > 0, let best {
            network = best.network
            bestEpoch = best.epoch
        }
        // From here on the network predicts in the target's units.
        if let targetScale { network.rescaleOutput(scale: targetScale.scale, offset: targetScale.offset) }
        var metrics: [String: Double] = ["epochs_run": Double(curve.count), "parameters": Double(network.parameterCount)]
        guard bestEpoch > 0 else {
            return TrainingResult(network: network, scaler: scaler, curve: curve, bestEpoch: 0, metrics: metrics, log: log,
                                  findings: monitor.findings(curve: curve, patience: configuration.patience, divergedAt: divergedAt),
                                  divergedAt: divergedAt)
        }
        let chosen = curve[bestEpoch - 1]
        metrics["train_loss"] = chosen.trainLoss
        metrics["val_loss"] = chosen.validationLoss
        metrics["best_epoch"] = Double(bestEpoch)
        if let value = chosen.trainAccuracy { metrics["train_accuracy"] = value }
        if let value = chosen.validationAccuracy { metrics["val_accuracy"] = value }
        if loss == .meanSquaredError {
            metrics["val_mse"] = chosen.validationLoss
            metrics["val_rmse"] = chosen.validationLoss.squareRoot()
            metrics["train_mse"] = chosen.trainLoss
            if let value = chosen.validationMAE { metrics["val_mae"] = value }
            if let value = chosen.validationR2 { metrics["val_r2"] = value }
        }
        let tau = loss == .meanSquaredError ? configuration.tau : nil
        if hasValidation, let tau, divergedAt == nil {
            metrics["val_ll"] = evaluate(&network, validationFeatures, targets: validation.targets, loss: loss, targetScale: nil, tau: tau).logLikelihood
        }
        let sampling = configuration.monteCarloSamples > 0 && (configuration.dropout > 0 || configuration.inputDropout > 0) && divergedAt == nil
        if sampling && hasValidation {
            let monteCarlo = monteCarloPrediction(&network, validationFeatures, targets: validation.targets, loss: loss,
                                                  samples: configuration.monteCarloSamples, seed: configuration.seed, tau: tau, prefix: "val", stream: 5)
            metrics.merge(monteCarlo) { _, new in new }
            log.append("Monte-Carlo dropout (\(configuration.monteCarloSamples) passes): " +
                       monteCarlo.keys.sorted().map { "\($0) \(String(format: "%.4f", monteCarlo[$0]!))" }.joined(separator: ", "))
        }
        if let test, test.count > 0, divergedAt == nil {
            let features = test.features
            let evaluation = evaluate(&network, features, targets: test.targets, loss: loss, targetScale: nil, tau: tau)
            metrics["test_loss"] = evaluation.loss
            if loss == .meanSquaredError {
                metrics["test_rmse"] = evaluation.loss.squareRoot()
                if let value = evaluation.logLikelihood { metrics["test_ll"] = value }
            } else if let value = evaluation.accuracy {
                metrics["test_accuracy"] = value
            }
            if sampling {
                metrics.merge(monteCarloPrediction(&network, features, targets: test.targets, loss: loss, samples: configuration.monteCarloSamples,
                                                   seed: configuration.seed, tau: tau, prefix: "test", stream: 6)) { _, new in new }
            }
            log.append("test (\(test.count) rows): " + metrics.keys.filter { $0.hasPrefix("test_") }.sorted()
                .map { "\($0) \(String(format: "%.4f", metrics[$0]!))" }.joined(separator: ", "))
        }
        return TrainingResult(network: network, scaler: scaler, curve: curve, bestEpoch: bestEpoch, metrics: metrics.filter { $0.value.isFinite },
                              log: log, findings: monitor.findings(curve: curve, patience: configuration.patience, divergedAt: divergedAt),
                              divergedAt: divergedAt)
    }

    /// The network a configuration starts from: the same seed gives the same weights, so the model
    /// checks can look at exactly the network that training will start with.
    public static func initialNetwork(_ configuration: TrainingConfiguration, inputs: Int, task: TrainingData.Task) -> Network {
        var initGenerator = SeededGenerator.derived(from: configuration.seed, stream: 2)
        var network = Network(sizes: [inputs] + configuration.hidden + [head(for: task).0], activation: configuration.activation,
                              dropout: configuration.dropout, initialization: configuration.initialization, generator: &initGenerator)
        network.inputDropout = configuration.inputDropout
        return network
    }

    /// The number of outputs and the loss for a task.
    public static func head(for task: TrainingData.Task) -> (Int, Loss) {
        switch task {
        case let .classification(classes) where classes == 2: return (1, .binaryCrossEntropy)
        case let .classification(classes): return (classes, .crossEntropy)
        case .regression: return (1, .meanSquaredError)
        }
    }

    struct Evaluation {
        var loss: Double
        var accuracy: Double?
        var mae: Double?
        var r2: Double?
        /// The Gaussian log-likelihood with precision τ (regression, when τ is given).
        var logLikelihood: Double?
    }

    /// Loss and metrics over a whole set, without dropout.
    /// - Parameters:
    ///   - targetScale: maps the network's outputs to the targets' units (training on standardised targets).
    ///   - tau: also compute the Gaussian log-likelihood with this precision.
    static func evaluate(_ network: inout Network, _ features: Matrix, targets: [Float], loss: Loss, targetScale: TargetScale? = nil,
                         tau: Double? = nil) -> Evaluation {
        guard !targets.isEmpty else { return Evaluation(loss: .nan) }
        var lossSum = 0.0, correct = 0, absoluteError = 0.0, squaredError = 0.0
        var noGenerator: SeededGenerator? = nil
        var start = 0
        while start < targets.count {
            let end = min(start + evaluationBatch, targets.count)
            let batch = features.gatherRows(Array(start..<end)[...])
            var logits = network.forward(batch, generator: &noGenerator)
            if let targetScale { targetScale.restore(&logits.values) }
            var gradient = Matrix(rows: end - start, columns: logits.columns)
            lossSum += loss.evaluate(logits, targets: targets[start..<end], gradient: &gradient) * Double(end - start)
            correct += countCorrect(logits, targets: targets[start..<end], loss: loss)
            if loss == .meanSquaredError {
                for row in 0..<(end - start) {
                    let difference = Double(logits.values[row] - targets[start + row])
                    absoluteError += abs(difference)
                    squaredError += difference * difference
                }
            }
            start = end
        }
        let count = Double(targets.count)
        var result = Evaluation(loss: lossSum / count)
        if loss == .meanSquaredError {
            let mean = targets.reduce(0.0) { $0 + Double($1) } / count
            let total = targets.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
            result.mae = absoluteError / count
            result.r2 = total > 0 ? 1 - squaredError / total : 0
            // −½ τ (y − ŷ)² averaged, − ½ log 2π + ½ log τ (GaussianLikelihood.standard, from the sum already made).
            if let tau { result.logLikelihood = -0.5 * tau * squaredError / count - 0.5 * Foundation.log(2 * Double.pi) + 0.5 * Foundation.log(tau) }
        } else {
            result.accuracy = Double(correct) / count
        }
        return result
    }

    static func countCorrect(_ logits: Matrix, targets: ArraySlice<Float>, loss: Loss) -> Int {
        var correct = 0
        for row in 0..<logits.rows {
            let target = Int(targets[targets.startIndex + row])
            switch loss {
            case .crossEntropy:
                var bestColumn = 0
                for column in 1..<logits.columns where logits[row, column] > logits[row, bestColumn] { bestColumn = column }
                if bestColumn == target { correct += 1 }
            case .binaryCrossEntropy:
                if (logits[row, 0] > 0 ? 1 : 0) == target { correct += 1 }
            case .meanSquaredError:
                break
            }
        }
        return correct
    }

    /// Monte-Carlo dropout (Gal and Ghahramani 2016): `samples` stochastic passes over the validation
    /// set; the predictive mean gives `val_accuracy_mc` (or `val_mse_mc`), and the spread across passes
    /// gives the mean per-example uncertainty `val_uncertainty` (std of the predicted class's probability,
    /// or of the prediction for regression).
    /// With τ (regression) it also gives `<prefix>_ll_mc`, the log-likelihood of the mixture of the T passes
    /// (`GaussianLikelihood.MonteCarlo`), and `<prefix>_rmse_mc`.
    static func monteCarloPrediction(_ network: inout Network, _ features: Matrix, targets: [Float], loss: Loss, samples: Int, seed: UInt64,
                                     tau: Double? = nil, prefix: String = "val", stream: UInt64 = 5) -> [String: Double] {
        var generator: SeededGenerator? = SeededGenerator.derived(from: seed, stream: stream)
        var likelihood = tau.map { GaussianLikelihood.MonteCarlo(targets: targets.map(Double.init), tau: $0) }
        let rows = targets.count
        let probabilities = network.layers.last!.outputs == 1 ? 1 : network.layers.last!.outputs
        var sum = [Double](repeating: 0, count: rows * probabilities)
        var sumOfSquares = sum
        for _ in 0..<samples {
            var start = 0
            while start < rows {
                let end = min(start + evaluationBatch, rows)
                let logits = network.forward(features.gatherRows(Array(start..<end)[...]), generator: &generator)
                for row in 0..<(end - start) {
                    let outputs = Self.probabilities(logits, row: row, loss: loss)
                    for (column, value) in outputs.enumerated() {
                        sum[(start + row) * probabilities + column] += value
                        sumOfSquares[(start + row) * probabilities + column] += value * value
                    }
                    likelihood?.add(outputs[0], at: start + row)
                }
                start = end
            }
            likelihood?.finishPass()
        }
        var correct = 0, uncertainty = 0.0, squaredError = 0.0
        for row in 0..<rows {
            let means = (0..<probabilities).map { sum[row * probabilities + $0] / Double(samples) }
            let chosen: Int
            switch loss {
            case .crossEntropy: chosen = means.indices.max { means[$0] < means[$1] }!
            case .binaryCrossEntropy: chosen = means[0] > 0.5 ? 1 : 0
            case .meanSquaredError: chosen = 0
            }
            let column = loss == .crossEntropy ? chosen : 0
            let mean = means[column]
            let variance = max(sumOfSquares[row * probabilities + column] / Double(samples) - mean * mean, 0)
            uncertainty += variance.squareRoot()
            if loss == .meanSquaredError {
                squaredError += (mean - Double(targets[row])) * (mean - Double(targets[row]))
            } else if chosen == Int(targets[row]) {
                correct += 1
            }
        }
        var result = [prefix + "_uncertainty": uncertainty / Double(max(rows, 1))]
        if loss == .meanSquaredError {
            result[prefix + "_mse_mc"] = squaredError / Double(max(rows, 1))
            result[prefix + "_rmse_mc"] = (squaredError / Double(max(rows, 1))).squareRoot()
            if let likelihood, rows > 0 { result[prefix + "_ll_mc"] = likelihood.value }
        } else {
            result[prefix + "_accuracy_mc"] = Double(correct) / Double(max(rows, 1))
        }
        return result
    }

    /// Class probabilities (softmax or sigmoid) or the regression value, for one row.
    static func probabilities(_ logits: Matrix, row: Int, loss: Loss) -> [Double] {
        switch loss {
        case .crossEntropy:
            let values = (0..<logits.columns).map { Double(logits[row, $0]) }
            let maximum = values.max()!
            let exps = values.map { Foundation.exp($0 - maximum) }
            let total = exps.reduce(0, +)
            return exps.map { $0 / total }
        case .binaryCrossEntropy:
            return [1 / (1 + Foundation.exp(-Double(logits[row, 0])))]
        case .meanSquaredError:
            return [Double(logits[row, 0])]
        }
    }

    static func describe(_ metrics: EpochMetrics) -> String {
        var parts = ["epoch \(metrics.epoch)", String(format: "train_loss %.4f", metrics.trainLoss)]
        if !metrics.validationLoss.isNaN { parts.append(String(format: "val_loss %.4f", metrics.validationLoss)) }
        if let value = metrics.trainAccuracy { parts.append(String(format: "train_accuracy %.4f", value)) }
        if let value = metrics.validationAccuracy { parts.append(String(format: "val_accuracy %.4f", value)) }
        if let value = metrics.validationMAE { parts.append(String(format: "val_mae %.4f", value)) }
        if let value = metrics.validationR2 { parts.append(String(format: "val_r2 %.4f", value)) }
        return parts.joined(separator: "  ")
    }
}
