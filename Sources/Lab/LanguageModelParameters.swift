import Journal
import Training

/// The parameters of `xj train --model lstm`: keys, defaults and checks, each refusal naming its key.
enum LanguageModelParameters {
    static let keys = ["batch_size", "batches_per_epoch", "clip", "dropout", "dropout_mode", "embedding_dropout", "epochs", "hidden", "init_scale",
                       "layers", "lr", "mc_samples", "momentum", "optimizer", "recurrent_dropout", "seed", "seq_len", "weight_decay"]

    /// Every key's value (defaults filled in) for `inputs/params.json`, and the configuration.
    static func resolve(_ reader: ParameterReader) throws -> ([String: JSONValue], LanguageModelConfiguration) {
        var configuration = LanguageModelConfiguration()
        configuration.hidden = try reader.integer("hidden", default: 128, minimum: 1)
        configuration.layers = try reader.integer("layers", default: 2, minimum: 1)
        configuration.sequenceLength = try reader.integer("seq_len", default: 100, minimum: 1)
        configuration.batchSize = try reader.integer("batch_size", default: 32, minimum: 1)
        configuration.epochs = try reader.integer("epochs", default: 1, minimum: 1)
        configuration.batchesPerEpoch = try reader.integer("batches_per_epoch", default: 0, minimum: 0)
        for (key, value, limit) in [("hidden", configuration.hidden, 4096), ("layers", configuration.layers, 16), ("seq_len", configuration.sequenceLength, 10_000),
                                    ("batch_size", configuration.batchSize, 4096), ("epochs", configuration.epochs, 100_000)] where value > limit {
            throw LabError.invalidParameter(key: key, message: "must be ≤ \(limit), got \(value)")
        }
        let optimizer: Optimizer.Kind = try reader.choice("optimizer", default: .adam)
        guard optimizer == .adam || optimizer == .sgd || optimizer == .momentum else {
            throw LabError.invalidParameter(key: "optimizer", message: "must be one of adam, sgd, momentum for model=lstm, got \"\(optimizer.rawValue)\"")
        }
        configuration.optimizer = optimizer
        let learningRate = try reader.number("lr", default: optimizer == .adam ? 0.002 : 1, above: 0)
        configuration.learningRate = Float(learningRate)
        var resolved: [String: JSONValue] = ["model": "lstm"]
        if optimizer == .momentum {
            let momentum = try reader.number("momentum", default: 0.9, minimum: 0, below: 1)
            configuration.momentum = Float(momentum)
            resolved["momentum"] = .number(momentum)
        } else if reader.has("momentum") {
            throw LabError.invalidParameter(key: "momentum", message: "applies to optimizer=momentum only")
        }
        let weightDecay = try reader.number("weight_decay", default: 0, minimum: 0)
        configuration.weightDecay = Float(weightDecay)
        let clip = try reader.number("clip", default: 5, minimum: 0)
        configuration.clip = Float(clip)
        let dropout = try reader.number("dropout", default: 0, minimum: 0, below: 1)
        let recurrent = try reader.number("recurrent_dropout", default: 0, minimum: 0, below: 1)
        let embedding = try reader.number("embedding_dropout", default: 0, minimum: 0, below: 1)
        configuration.dropout = Float(dropout)
        configuration.recurrentDropout = Float(recurrent)
        configuration.embeddingDropout = Float(embedding)
        configuration.dropoutMode = try reader.choice("dropout_mode", default: .variational)
        if configuration.dropoutMode == .naive && recurrent > 0 {
            throw LabError.invalidParameter(key: "recurrent_dropout", message: "applies to dropout_mode=variational: naive (per-step) dropout leaves the recurrent connections alone")
        }
        // PyTorch's nn.LSTM default, 1/√hidden: with Adam it learned faster than Zaremba et al.'s 0.08
        // (2.82 against 2.89 bits per character after 280 steps at 2×128 on tiny Shakespeare's first 250k characters).
        let initScale = try reader.number("init_scale", default: 1 / Double(configuration.hidden).squareRoot(), above: 0)
        configuration.initScale = Float(initScale)
        configuration.monteCarloSamples = try reader.integer("mc_samples", default: 0, minimum: 0)
        if configuration.monteCarloSamples > 0 {
            guard configuration.dropoutMode == .variational, dropout + recurrent + embedding > 0 else {
                throw LabError.invalidParameter(key: "mc_samples", message: "needs dropout_mode=variational with some dropout (Monte-Carlo dropout samples its masks)")
            }
            guard configuration.monteCarloSamples <= 1000 else { throw LabError.invalidParameter(key: "mc_samples", message: "must be ≤ 1000, got \(configuration.monteCarloSamples)") }
        }
        configuration.seed = UInt64(try reader.integer("seed", default: 0, minimum: 0))
        resolved["hidden"] = .number(Double(configuration.hidden))
        resolved["layers"] = .number(Double(configuration.layers))
        resolved["seq_len"] = .number(Double(configuration.sequenceLength))
        resolved["batch_size"] = .number(Double(configuration.batchSize))
        resolved["epochs"] = .number(Double(configuration.epochs))
        resolved["batches_per_epoch"] = .number(Double(configuration.batchesPerEpoch))
        resolved["optimizer"] = .string(optimizer.rawValue)
        resolved["lr"] = .number(learningRate)
        resolved["weight_decay"] = .number(weightDecay)
        resolved["clip"] = .number(clip)
        resolved["dropout"] = .number(dropout)
        resolved["recurrent_dropout"] = .number(recurrent)
        resolved["embedding_dropout"] = .number(embedding)
        resolved["dropout_mode"] = .string(configuration.dropoutMode.rawValue)
        resolved["init_scale"] = .number(initScale)
        resolved["mc_samples"] = .number(Double(configuration.monteCarloSamples))
        resolved["seed"] = .number(Double(configuration.seed))
        return (resolved, configuration)
    }
}
