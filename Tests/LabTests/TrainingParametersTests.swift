import Testing
@testable import Journal
@testable import Lab

@Suite struct TrainingParametersTests {
    @Test func defaultsAreFilledInSoSpellingsAgree() throws {
        let implicit = try TrainingParameters.resolve(model: "mlp", given: ["lr": 0.01])
        let explicit = try TrainingParameters.resolve(model: "mlp", given: [
            "lr": 1e-2, "hidden": [128], "activation": "relu", "dropout": 0, "epochs": 20.0, "batch_size": 32, "seed": 0,
            "optimizer": "adam", "init": "he", "normalize": "standard", "val_fraction": 0.2, "split_seed": 0, "patience": 0,
            "weight_decay": 0, "impute": "none", "mc_samples": 0,
        ])
        #expect(CanonicalJSON.bytes(.object(implicit.resolved)) == CanonicalJSON.bytes(.object(explicit.resolved)))
        #expect(implicit.configuration == explicit.configuration)
        #expect(implicit.resolved["model"] == "mlp")
    }

    /// Keys added in 0.4 are recorded only when they differ from their default: earlier run keys stay valid.
    @Test func newKeysAtTheirDefaultsLeaveTheRecordAsBefore() throws {
        let before = try TrainingParameters.resolve(model: "mlp", given: ["lr": 0.01])
        let spelled = try TrainingParameters.resolve(model: "mlp", given: ["lr": 0.01, "input_dropout": 0, "test_fraction": 0, "target_normalize": "none"])
        #expect(CanonicalJSON.bytes(.object(before.resolved)) == CanonicalJSON.bytes(.object(spelled.resolved)))
        #expect(Set(before.resolved.keys).isDisjoint(with: ["input_dropout", "test_fraction", "target_normalize", "tau", "prior_lengthscale"]))
        let study = try TrainingParameters.resolve(model: "mlp", given: ["dropout": 0.05, "input_dropout": 0.05, "tau": 0.5, "prior_lengthscale": 0.01,
                                                                         "target_normalize": "standard", "test_fraction": 0.1, "val_fraction": 0])
        #expect(study.resolved["input_dropout"] == .number(0.05) && study.resolved["tau"] == .number(0.5) && study.testFraction == 0.1)
        #expect(study.configuration.standardizeTargets && study.configuration.priorLengthscale == 0.01 && study.validationFraction == 0)
    }

    @Test func modelDependentDefaults() throws {
        let linear = try TrainingParameters.resolve(model: "linear", given: [:])
        #expect(linear.configuration.optimizer == .sgd && linear.configuration.learningRate == 0.01)
        #expect(linear.configuration.hidden.isEmpty && linear.resolved["hidden"] == nil)
        let tanh = try TrainingParameters.resolve(model: "mlp", given: ["activation": "tanh", "optimizer": "nesterov"])
        #expect(tanh.configuration.initialization == .glorot && tanh.resolved["momentum"] == .number(0.9))
    }

    @Test(arguments: [
        ("mlp", ["hidden": 0] as [String: JSONValue], "parameter `hidden`: must be ≥ 1, got 0"),
        ("mlp", ["lr": "fast"], "parameter `lr`: must be a number, got \"fast\""),
        ("mlp", ["lr": -1], "parameter `lr`: must be > 0, got -1"),
        ("mlp", ["epochs": -3], "parameter `epochs`: must be ≥ 1, got -3"),
        ("mlp", ["epochs": 2.5], "parameter `epochs`: must be a whole number, got 2.5"),
        ("mlp", ["activation": "gelu"], "parameter `activation`: must be one of relu, tanh, sigmoid, got \"gelu\""),
        ("linear", ["dropout": 0.2], "parameter `dropout`: applies to model=mlp only"),
        ("mlp", ["mc_samples": 5], "parameter `mc_samples`: needs dropout > 0 or input_dropout > 0 (Monte-Carlo dropout samples the dropout masks)"),
        ("mlp", ["prior_lengthscale": 0.01], "parameter `prior_lengthscale`: needs tau: the weight decay it implies is l² (1 − p) / (N tau)"),
        ("mlp", ["prior_lengthscale": 0.01, "tau": 1, "weight_decay": 0.1], "parameter `prior_lengthscale`: sets the weight decay itself (l² (1 − p) / (N tau)); drop weight_decay"),
        ("mlp", ["tau": 0], "parameter `tau`: must be > 0, got 0"),
        ("mlp", ["input_dropout": 1], "parameter `input_dropout`: must be < 1, got 1"),
        ("mlp", ["test_fraction": 1], "parameter `test_fraction`: must be < 1, got 1"),
        ("mlp", ["val_fraction": 0], "parameter `val_fraction`: 0 leaves nothing to evaluate; hold out test rows with test_fraction, or keep val_fraction > 0"),
        ("mlp", ["val_fraction": 0, "test_fraction": 0.1, "patience": 3], "parameter `patience`: early stopping watches the validation loss, and val_fraction=0 holds no validation rows"),
        ("mlp", ["target_normalize": "minmax"], "parameter `target_normalize`: must be one of none, standard, got \"minmax\""),
        ("linear", ["input_dropout": 0.1], "parameter `input_dropout`: applies to model=mlp only"),
        ("tree", [:], "parameter `model`: must be one of linear, mlp, lstm, got \"tree\""),
    ])
    func badParameters(_ model: String, _ given: [String: JSONValue], _ message: String) {
        do {
            _ = try TrainingParameters.resolve(model: model, given: given)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func unknownKeyListsTheValidOnes() {
        do {
            _ = try TrainingParameters.resolve(model: "linear", given: ["learning_rate": 0.1])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("unknown parameter `learning_rate` for model=linear; valid: batch_size, epochs, impute, init, lr,"))
        }
    }
}
