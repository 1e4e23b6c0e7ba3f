import Foundation

/// One epoch of a language model's training, in bits per character.
public struct LanguageModelEpoch: Sendable, Equatable {
    public var epoch: Int
    /// The mean training cross-entropy of the epoch's batches (with dropout), in bits per character.
    public var trainBPC: Double
    /// Validation cross-entropy without dropout, in bits per character.
    public var validationBPC: Double
    public var seconds: Double
}

/// What training a language model produced.
public struct LanguageModelResult: Sendable {
    public let model: CharacterLSTM
    public let curve: [LanguageModelEpoch]
    /// `val_loss` (nats per character), `val_bpc`, `val_ppl`, `train_bpc`, `train_eval_bpc`, `bpc_gap`,
    /// and `val_bpc_mc` with Monte-Carlo dropout.
    public let metrics: [String: Double]
    /// The epoch whose loss stopped being a number, if any.
    public let divergedAt: Int?
    /// Training throughput: characters per second of the batches' own time, evaluations left out (not
    /// part of the metrics: it varies between runs).
    public let tokensPerSecond: Double
}

/// Trains a `CharacterLSTM` on a token stream with truncated backpropagation through time: the text is
/// cut into `batchSize` contiguous streams, each batch takes the next `sequenceLength` characters of
/// every stream, and the hidden state is carried from one batch to the next within an epoch.
public enum LanguageModelTrainer {
    public static let bitsPerNat = 1 / log(2.0)

    /// Inputs and targets of batch `index` of `tokens` cut into `streams` streams, time-major.
    static func batch(_ tokens: [Int32], streams: Int, steps: Int, index: Int) -> (inputs: [Int32], targets: [Int32]) {
        let streamLength = (tokens.count - 1) / streams
        var inputs = [Int32](repeating: 0, count: streams * steps), targets = inputs
        for step in 0..<steps {
            for stream in 0..<streams {
                let position = stream * streamLength + index * steps + step
                inputs[step * streams + stream] = tokens[position]
                targets[step * streams + stream] = tokens[position + 1]
            }
        }
        return (inputs, targets)
    }

    /// How many batches one pass over `count` tokens gives.
    public static func batchesPerPass(tokens count: Int, streams: Int, steps: Int) -> Int {
        count < 2 ? 0 : (count - 1) / streams / steps
    }

    /// Fresh dropout masks for one batch, drawn from `generator`.
    static func masks(_ configuration: LanguageModelConfiguration, vocabulary: Int, streams: Int, steps: Int,
                      generator: inout SeededGenerator) -> CharacterLSTM.Masks {
        let shared = configuration.dropoutMode == .variational
        let layers = configuration.layers, hidden = configuration.hidden
        func draw(_ count: Int, _ p: Float) -> [Float]? {
            guard p > 0 else { return nil }
            let kept = 1 / (1 - p)
            return (0..<count).map { _ in generator.nextUnitFloat() < p ? 0 : kept }
        }
        let rows = shared ? streams : streams * steps
        return CharacterLSTM.Masks(
            embedding: draw(shared ? streams * vocabulary : streams * steps, configuration.embeddingDropout),
            outputs: (0..<layers).map { _ in draw(rows * hidden, configuration.dropout) },
            recurrent: (0..<layers).map { _ in shared ? draw(streams * hidden, configuration.recurrentDropout) : nil },
            shared: shared)
    }

    /// Mean cross-entropy in nats per character of `model` on `tokens`, without dropout (or, with
    /// `samples` > 0, of the average of that many dropout-sampled predictive distributions).
    public static func evaluate(_ model: CharacterLSTM, tokens: [Int32], configuration: LanguageModelConfiguration,
                                samples: Int = 0, generator: inout SeededGenerator) -> Double {
        let steps = configuration.sequenceLength
        let streams = max(1, min(configuration.batchSize, (tokens.count - 1) / steps))
        let batches = batchesPerPass(tokens: tokens.count, streams: streams, steps: steps)
        guard batches > 0 else { return .nan }
        if samples == 0 {
            var state = CharacterLSTM.State(layers: model.layers, batch: streams, hidden: model.hidden)
            var total = 0.0
            for index in 0..<batches {
                let (inputs, targets) = batch(tokens, streams: streams, steps: steps, index: index)
                total += model.forward(tokens: inputs, targets: targets, batch: streams, state: &state, masks: .none(layers: model.layers)).0
            }
            return total / Double(batches * streams * steps)
        }
        // Monte-Carlo dropout: average each position's probability of the right character over samples.
        var probability = [Double](repeating: 0, count: batches * streams * steps)
        for _ in 0..<samples {
            var state = CharacterLSTM.State(layers: model.layers, batch: streams, hidden: model.hidden)
            for index in 0..<batches {
                let (inputs, targets) = batch(tokens, streams: streams, steps: steps, index: index)
                let masks = Self.masks(configuration, vocabulary: model.vocabulary, streams: streams, steps: steps, generator: &generator)
                let tape = model.forward(tokens: inputs, targets: targets, batch: streams, state: &state, masks: masks).1
                for row in 0..<(streams * steps) {
                    probability[index * streams * steps + row] += Double(tape.probabilities[row * model.vocabulary + Int(targets[row])])
                }
            }
        }
        let count = Double(samples)
        return probability.reduce(0) { $0 - log(max($1 / count, Double.leastNormalMagnitude)) } / Double(probability.count)
    }

    /// Trains on `training`, evaluating on `validation` after every epoch.
    /// - Parameter progress: after each epoch; `batchProgress`: after each batch, the fraction done.
    public static func train(_ configuration: LanguageModelConfiguration, vocabulary: Int, training: [Int32], validation: [Int32],
                             progress: ((LanguageModelEpoch) -> Void)? = nil, batchProgress: ((Double) -> Void)? = nil) -> LanguageModelResult {
        var initGenerator = SeededGenerator.derived(from: configuration.seed, stream: 1)
        var dropoutGenerator = SeededGenerator.derived(from: configuration.seed, stream: 2)
        var model = CharacterLSTM(vocabulary: vocabulary, hidden: configuration.hidden, layers: configuration.layers,
                                  scale: configuration.initScale, generator: &initGenerator)
        let optimizer = Optimizer(kind: configuration.optimizer, learningRate: configuration.learningRate, momentum: configuration.momentum)
        var optimizerStates = model.tensors.map { Optimizer.State(count: $0.count) }
        let streams = configuration.batchSize, steps = configuration.sequenceLength
        let pass = batchesPerPass(tokens: training.count, streams: streams, steps: steps)
        let perEpoch = configuration.batchesPerEpoch > 0 ? configuration.batchesPerEpoch : pass
        precondition(pass > 0, "the training text is shorter than batch_size × seq_len (checked before training)")
        var curve: [LanguageModelEpoch] = []
        var divergedAt: Int?
        var cursor = 0
        var state = CharacterLSTM.State(layers: configuration.layers, batch: streams, hidden: configuration.hidden)
        var lastTrainLoss = Double.nan
        var trainingSeconds = 0.0
        var tokensSeen = 0
        for epoch in 1...configuration.epochs {
            let epochStart = Date()
            var total = 0.0
            for done in 0..<perEpoch {
                // A full pass restarts the streams from their beginnings with a fresh state.
                if cursor == pass { cursor = 0 }
                if cursor == 0 { state = CharacterLSTM.State(layers: configuration.layers, batch: streams, hidden: configuration.hidden) }
                let batchStart = Date()
                defer { trainingSeconds += Date().timeIntervalSince(batchStart) }
                let (inputs, targets) = batch(training, streams: streams, steps: steps, index: cursor)
                cursor += 1
                let masks = Self.masks(configuration, vocabulary: vocabulary, streams: streams, steps: steps, generator: &dropoutGenerator)
                let (loss, tape) = model.forward(tokens: inputs, targets: targets, batch: streams, state: &state, masks: masks)
                guard loss.isFinite else { divergedAt = epoch; break }
                total += loss
                tokensSeen += inputs.count
                var gradients = model.backward(tape, targets: targets, batch: streams, masks: masks)
                if configuration.clip > 0 {
                    var squares: Double = 0
                    for tensor in gradients { for value in tensor { squares += Double(value) * Double(value) } }
                    let norm = squares.squareRoot()
                    guard norm.isFinite else { divergedAt = epoch; break }
                    if norm > Double(configuration.clip) {
                        let scale = Float(Double(configuration.clip) / norm)
                        gradients = gradients.map { $0.map { $0 * scale } }
                    }
                }
                var tensors = model.tensors
                for index in tensors.indices {
                    optimizer.update(&tensors[index], gradient: gradients[index], state: &optimizerStates[index], weightDecay: configuration.weightDecay)
                }
                model.setTensors(tensors)
                batchProgress?(Double((epoch - 1) * perEpoch + done + 1) / Double(configuration.epochs * perEpoch))
            }
            if divergedAt != nil { break }
            lastTrainLoss = total / Double(perEpoch * streams * steps)
            var evaluationGenerator = SeededGenerator(seed: 0)
            let validationLoss = evaluate(model, tokens: validation, configuration: configuration, generator: &evaluationGenerator)
            let record = LanguageModelEpoch(epoch: epoch, trainBPC: lastTrainLoss * bitsPerNat, validationBPC: validationLoss * bitsPerNat,
                                            seconds: Date().timeIntervalSince(epochStart))
            curve.append(record)
            progress?(record)
            if !validationLoss.isFinite { divergedAt = epoch; break }
        }
        var metrics: [String: Double] = [:]
        if divergedAt == nil, let last = curve.last {
            var evaluationGenerator = SeededGenerator.derived(from: configuration.seed, stream: 3)
            let validationLoss = last.validationBPC / bitsPerNat
            // The training text's first part, as long as the validation text, without dropout: the gap
            // between the two is how much the model fits the training text beyond what generalises.
            let trainPart = Array(training.prefix(max(validation.count, steps + 1)))
            let trainEval = evaluate(model, tokens: trainPart, configuration: configuration, generator: &evaluationGenerator)
            metrics = ["val_loss": validationLoss, "val_bpc": last.validationBPC, "val_ppl": exp(validationLoss),
                       "train_bpc": lastTrainLoss * bitsPerNat, "train_eval_bpc": trainEval * bitsPerNat,
                       "bpc_gap": last.validationBPC - trainEval * bitsPerNat]
            if configuration.monteCarloSamples > 0 {
                let mc = evaluate(model, tokens: validation, configuration: configuration, samples: configuration.monteCarloSamples, generator: &evaluationGenerator)
                metrics["val_bpc_mc"] = mc * bitsPerNat
            }
        }
        return LanguageModelResult(model: model, curve: curve, metrics: metrics, divergedAt: divergedAt,
                                   tokensPerSecond: trainingSeconds > 0 ? Double(tokensSeen) / trainingSeconds : 0)
    }
}
