import Journal
import Training

/// The complete, validated parameters of a training run: what the user gave, with every default
/// filled in, and the `TrainingConfiguration` they mean. Spelling a default out or leaving it
/// implicit gives the same `resolved` set, hence the same run key.
public struct TrainingParameters: Sendable {
    public enum Model: String, CaseIterable, Sendable { case linear, mlp, lstm }

    /// Every key with its value, including defaults: stored as `inputs/params.json`.
    public let resolved: [String: JSONValue]
    public let model: Model
    public let configuration: TrainingConfiguration
    /// Nil when a separate validation dataset is given.
    public let validationFraction: Double?
    public let splitSeed: UInt64
    public let imputeMean: Bool
    /// The share of rows held out as the test part (0: none), chosen with `splitSeed`.
    public var testFraction: Double = 0
    /// With `model=lstm`: the language model's configuration (`configuration` is then unused).
    public var languageModel: LanguageModelConfiguration?

    /// Keys each model accepts, in the order `--help` and errors list them.
    public static func keys(for model: Model) -> [String] {
        if model == .lstm { return LanguageModelParameters.keys }
        let common = ["batch_size", "epochs", "impute", "init", "lr", "momentum", "normalize", "optimizer", "patience", "prior_lengthscale", "seed",
                      "split_seed", "target_normalize", "tau", "test_fraction", "val_fraction", "weight_decay"]
        return model == .mlp ? (common + ["activation", "dropout", "hidden", "input_dropout", "mc_samples"]).sorted() : common
    }

    /// Validates `given` for `model` and fills in defaults.
    /// - Parameter separateValidation: a validation dataset is given, so `val_fraction` does not apply.
    /// - Throws: `LabError` naming the key: unknown keys list the valid ones; wrong types and ranges say what was expected.
    public static func resolve(model modelName: String, given: [String: JSONValue], separateValidation: Bool = false) throws -> TrainingParameters {
        guard let model = Model(rawValue: modelName) else {
            throw LabError.invalidParameter(key: "model", message: "must be one of linear, mlp, lstm, got \(modelName.debugDescription)")
        }
        var remaining = given
        // `model` is chosen with --model: as a key=value it would be silently overridden, so it is used
        // only when it agrees, and refused otherwise.
        if let named = remaining.removeValue(forKey: "model"), named != .string(model.rawValue) {
            throw LabError.invalidParameter(key: "model", message: "is chosen with --model, not as a parameter (got \(CanonicalJSON.string(named)) with --model \(model.rawValue)); " +
                                            "to compare models, run one grid per model")
        }
        for key in remaining.keys.sorted() where !keys(for: model).contains(key) {
            if model != .lstm, keys(for: .lstm).contains(key), !keys(for: .mlp).contains(key) {
                throw LabError.invalidParameter(key: key, message: "applies to model=lstm only")
            }
            if model == .linear, keys(for: .mlp).contains(key) {
                throw LabError.invalidParameter(key: key, message: "applies to model=mlp only")
            }
            throw LabError.unknownParameter(key: key, model: model.rawValue, valid: keys(for: model))
        }
        var reader = ParameterReader(values: remaining)
        if model == .lstm {
            let (resolved, languageModel) = try LanguageModelParameters.resolve(reader)
            var parameters = TrainingParameters(resolved: resolved, model: .lstm, configuration: TrainingConfiguration(), validationFraction: nil,
                                                splitSeed: 0, imputeMean: false)
            parameters.languageModel = languageModel
            return parameters
        }
        var configuration = TrainingConfiguration()
        var resolved: [String: JSONValue] = ["model": .string(model.rawValue)]

        if model == .mlp {
            configuration.hidden = try reader.integerList("hidden", default: [128], minimum: 1)
            configuration.activation = try reader.choice("activation", default: .relu)
            let dropout = try reader.number("dropout", default: 0, minimum: 0, below: 1)
            configuration.dropout = Float(dropout)
            let inputDropout = try reader.number("input_dropout", default: 0, minimum: 0, below: 1)
            configuration.inputDropout = Float(inputDropout)
            // Keys added in xj 0.4 are recorded only when they differ from their default, so earlier run keys stay valid.
            if inputDropout > 0 { resolved["input_dropout"] = .number(inputDropout) }
            configuration.monteCarloSamples = try reader.integer("mc_samples", default: 0, minimum: 0)
            if configuration.monteCarloSamples > 0 && configuration.dropout == 0 && inputDropout == 0 {
                throw LabError.invalidParameter(key: "mc_samples", message: "needs dropout > 0 or input_dropout > 0 (Monte-Carlo dropout samples the dropout masks)")
            }
            resolved["hidden"] = .array(configuration.hidden.map { .number(Double($0)) })
            resolved["activation"] = .string(configuration.activation.rawValue)
            resolved["dropout"] = .number(dropout)
            resolved["mc_samples"] = .number(Double(configuration.monteCarloSamples))
        }
        let defaultInit: Initialization = model == .mlp && configuration.activation == .relu ? .he : .glorot
        configuration.initialization = try reader.choice("init", default: defaultInit)
        configuration.optimizer = try reader.choice("optimizer", default: model == .linear ? .sgd : .adam)
        let learningRate = try reader.number("lr", default: configuration.optimizer == .adam ? 0.001 : 0.01, above: 0)
        configuration.learningRate = Float(learningRate)
        if configuration.optimizer == .momentum || configuration.optimizer == .nesterov {
            let momentum = try reader.number("momentum", default: 0.9, minimum: 0, below: 1)
            configuration.momentum = Float(momentum)
            resolved["momentum"] = .number(momentum)
        } else if reader.has("momentum") {
            throw LabError.invalidParameter(key: "momentum", message: "applies to optimizer=momentum or nesterov only")
        }
        let weightDecay = try reader.number("weight_decay", default: 0, minimum: 0)
        configuration.weightDecay = Float(weightDecay)
        if reader.has("tau") {
            let tau = try reader.number("tau", default: 1, above: 0)
            configuration.tau = tau
            resolved["tau"] = .number(tau)
        }
        if reader.has("prior_lengthscale") {
            let lengthscale = try reader.number("prior_lengthscale", default: 0.01, above: 0)
            guard configuration.tau != nil else {
                throw LabError.invalidParameter(key: "prior_lengthscale", message: "needs tau: the weight decay it implies is l² (1 − p) / (N tau)")
            }
            guard !reader.has("weight_decay") else {
                throw LabError.invalidParameter(key: "prior_lengthscale", message: "sets the weight decay itself (l² (1 − p) / (N tau)); drop weight_decay")
            }
            configuration.priorLengthscale = lengthscale
            resolved["prior_lengthscale"] = .number(lengthscale)
        }
        let targetNormalize = try reader.text("target_normalize", default: "none", choices: ["none", "standard"])
        configuration.standardizeTargets = targetNormalize == "standard"
        if configuration.standardizeTargets { resolved["target_normalize"] = "standard" }
        let testFraction = try reader.number("test_fraction", default: 0, minimum: 0, below: 1)
        if testFraction > 0 { resolved["test_fraction"] = .number(testFraction) }
        configuration.epochs = try reader.integer("epochs", default: 20, minimum: 1)
        configuration.batchSize = try reader.integer("batch_size", default: 32, minimum: 1)
        configuration.seed = UInt64(try reader.integer("seed", default: 0, minimum: 0))
        configuration.normalization = try reader.choice("normalize", default: .standard)
        configuration.patience = try reader.integer("patience", default: 0, minimum: 0)
        let splitSeed = UInt64(try reader.integer("split_seed", default: 0, minimum: 0))
        let impute: String = try reader.text("impute", default: "none", choices: ["none", "mean"])
        var validationFraction: Double? = nil
        if separateValidation {
            if reader.has("val_fraction") { throw LabError.invalidParameter(key: "val_fraction", message: "does not apply when --val gives a validation dataset") }
            if testFraction > 0 { resolved["split_seed"] = .number(Double(splitSeed)) }
        } else {
            validationFraction = try reader.number("val_fraction", default: 0.2, minimum: 0, below: 1)
            if validationFraction == 0 {
                guard testFraction > 0 else {
                    throw LabError.invalidParameter(key: "val_fraction", message: "0 leaves nothing to evaluate; hold out test rows with test_fraction, or keep val_fraction > 0")
                }
                guard configuration.patience == 0 else {
                    throw LabError.invalidParameter(key: "patience", message: "early stopping watches the validation loss, and val_fraction=0 holds no validation rows")
                }
            }
            resolved["val_fraction"] = .number(validationFraction!)
            resolved["split_seed"] = .number(Double(splitSeed))
        }
        resolved["init"] = .string(configuration.initialization.rawValue)
        resolved["optimizer"] = .string(configuration.optimizer.rawValue)
        resolved["lr"] = .number(learningRate)
        resolved["weight_decay"] = .number(weightDecay)
        resolved["epochs"] = .number(Double(configuration.epochs))
        resolved["batch_size"] = .number(Double(configuration.batchSize))
        resolved["seed"] = .number(Double(configuration.seed))
        resolved["normalize"] = .string(configuration.normalization.rawValue)
        resolved["patience"] = .number(Double(configuration.patience))
        resolved["impute"] = .string(impute)
        var parameters = TrainingParameters(resolved: resolved, model: model, configuration: configuration, validationFraction: validationFraction,
                                            splitSeed: splitSeed, imputeMean: impute == "mean")
        parameters.testFraction = testFraction
        return parameters
    }
}

/// Typed reads of parameter values with errors that name the key.
struct ParameterReader {
    let values: [String: JSONValue]

    func has(_ key: String) -> Bool { values[key] != nil }

    func number(_ key: String, default fallback: Double, minimum: Double? = nil, above: Double? = nil, below: Double? = nil) throws -> Double {
        guard let value = values[key] else { return fallback }
        guard let number = value.numberValue else { throw LabError.invalidParameter(key: key, message: "must be a number, got \(shown(value))") }
        // Training computes in float32: a value beyond its range would silently become infinity.
        guard Float(number).isFinite else {
            throw LabError.invalidParameter(key: key, message: "must fit in float32 (magnitude at most 3.4e38), got \(format(number))")
        }
        // …and one below its smallest normal number would become 0 or lose its digits, while the record kept the value.
        guard number == 0 || abs(number) >= Double(Float.leastNormalMagnitude) else {
            throw LabError.invalidParameter(key: key, message: "must fit in float32 (0, or a magnitude of at least 1.2e-38), got \(format(number))")
        }
        if let minimum, number < minimum { throw LabError.invalidParameter(key: key, message: "must be ≥ \(format(minimum)), got \(format(number))") }
        if let above, number <= above { throw LabError.invalidParameter(key: key, message: "must be > \(format(above)), got \(format(number))") }
        if let below, number >= below { throw LabError.invalidParameter(key: key, message: "must be < \(format(below)), got \(format(number))") }
        return number
    }

    func integer(_ key: String, default fallback: Int, minimum: Int) throws -> Int {
        guard let value = values[key] else { return fallback }
        return try wholeNumber(value, key: key, minimum: minimum)
    }

    func integerList(_ key: String, default fallback: [Int], minimum: Int) throws -> [Int] {
        guard let value = values[key] else { return fallback }
        let items = value.arrayValue ?? [value]
        guard !items.isEmpty else { throw LabError.invalidParameter(key: key, message: "needs at least one layer size") }
        return try items.map { try wholeNumber($0, key: key, minimum: minimum) }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) throws -> T where T.RawValue == String {
        guard let value = values[key] else { return fallback }
        let choices = T.allCases.map(\.rawValue)
        guard let text = value.stringValue, let chosen = T(rawValue: text) else {
            throw LabError.invalidParameter(key: key, message: "must be one of \(choices.joined(separator: ", ")), got \(shown(value))")
        }
        return chosen
    }

    func text(_ key: String, default fallback: String, choices: [String]) throws -> String {
        guard let value = values[key] else { return fallback }
        guard let text = value.stringValue, choices.contains(text) else {
            throw LabError.invalidParameter(key: key, message: "must be one of \(choices.joined(separator: ", ")), got \(shown(value))")
        }
        return text
    }

    private func wholeNumber(_ value: JSONValue, key: String, minimum: Int) throws -> Int {
        guard let number = value.numberValue else { throw LabError.invalidParameter(key: key, message: "must be a whole number, got \(shown(value))") }
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw LabError.invalidParameter(key: key, message: "must be a whole number, got \(format(number))")
        }
        guard Int(number) >= minimum else { throw LabError.invalidParameter(key: key, message: "must be ≥ \(minimum), got \(format(number))") }
        return Int(number)
    }

    private func shown(_ value: JSONValue) -> String {
        if case let .string(text) = value { return text.debugDescription }
        return CanonicalJSON.string(value)
    }

    private func format(_ number: Double) -> String { CanonicalJSON.format(number) }
}
