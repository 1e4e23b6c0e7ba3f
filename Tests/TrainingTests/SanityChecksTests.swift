import Foundation
import Testing
@testable import Training

/// Each check with data (or a model, or a curve) that triggers it and data that does not.
@Suite struct SanityChecksTests {
    /// Deterministic pseudo-random features: `rows`×`columns` values drawn uniformly from ±`scale`.
    func randomFeatures(rows: Int, columns: Int, scale: Float = 1, seed: UInt64 = 7) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in (generator.nextUnitFloat() * 2 - 1) * scale })
    }

    func classification(rows: Int, columns: Int = 8, classes: Int = 2, scale: Float = 1, seed: UInt64 = 7) -> TrainingData {
        var generator = SeededGenerator(seed: seed &+ 1)
        let targets = (0..<rows).map { _ in Float(Int(generator.nextUnitFloat() * Float(classes)) % classes) }
        return TrainingData(features: randomFeatures(rows: rows, columns: columns, scale: scale, seed: seed), targets: targets,
                            task: .classification(classes: classes))
    }

    func findings(_ training: TrainingData, validation: TrainingData? = nil, fileOrder: [Float]? = nil, separate: Bool = false,
                  configure: (inout TrainingConfiguration) -> Void = { _ in }) -> [String: CheckFinding] {
        var configuration = TrainingConfiguration()
        configuration.hidden = [16]
        configure(&configuration)
        let validation = validation ?? classification(rows: 50, columns: training.features.columns, seed: 99)
        let network = Trainer.initialNetwork(configuration, inputs: training.features.columns, task: training.task)
        let input = DataCheckInput(fileOrderTargets: fileOrder ?? training.targets, training: training, validation: validation,
                                   separateValidation: separate, configuration: configuration)
        let all = SanityChecks.run(input, model: ModelDescription(network: network, configuration: configuration, task: training.task))
        return Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
    }

    func status(_ code: String, _ found: [String: CheckFinding]) -> CheckStatus? { found[code]?.status }

    @Test func everyBeforeAndModelCheckReports() {
        let found = findings(classification(rows: 400))
        let expected = CheckCatalog.entries.filter { $0.stage != .during }.map(\.code)
        #expect(Set(found.keys) == Set(expected))
    }

    @Test func batchSizeChecks() {
        let data = classification(rows: 1000)
        #expect(status("K101", findings(data) { $0.batchSize = 32 }) == .pass)
        #expect(status("K101", findings(data) { $0.batchSize = 50 }) == .warning)
        #expect(status("K1010", findings(data) { $0.batchSize = 8 }) == .warning)   // 0.8% of 1000
        #expect(status("K1010", findings(data) { $0.batchSize = 16 }) == .pass)     // 1.6%
        #expect(status("K1010", findings(classification(rows: 60)) { $0.batchSize = 1 }) == .pass)  // small data
        #expect(status("K1012", findings(classification(rows: 100)) { $0.batchSize = 64 }) == .warning)
        #expect(status("K1012", findings(classification(rows: 100)) { $0.batchSize = 32 }) == .pass)
    }

    @Test func sortedLabelsAreNotShuffled() {
        let data = classification(rows: 500, classes: 5)
        #expect(status("K102", findings(data, fileOrder: data.targets.sorted())) == .warning)
        #expect(status("K102", findings(data)) == .pass)
        #expect(findings(data, fileOrder: data.targets.sorted())["K102"]!.values["runs"] == 5)
    }

    @Test func separateValidationMustBeStratified() {
        let training = classification(rows: 400, classes: 2)
        let skewed = TrainingData(features: randomFeatures(rows: 100, columns: 8, seed: 3), targets: (0..<100).map { $0 < 90 ? 0 : 1 },
                                  task: .classification(classes: 2))
        let balanced = classification(rows: 100, classes: 2, seed: 3)
        #expect(status("K103", findings(training, validation: skewed, separate: true)) == .failure)
        #expect(status("K103", findings(training, validation: balanced, separate: true)) == .pass)
        #expect(status("K103", findings(training, validation: skewed, separate: false)) == .pass)
        let regression = TrainingData(features: training.features, targets: training.targets, task: .regression)
        #expect(status("K103", findings(regression, validation: TrainingData(features: skewed.features, targets: skewed.targets, task: .regression),
                                        separate: true)) == .notApplicable)
    }

    /// Standardises every column of a set with its own statistics.
    func standardised(_ data: TrainingData) -> TrainingData {
        var copy = data
        FeatureScaler(fitting: data.features, mode: .standard).transform(&copy.features)
        return copy
    }

    @Test func validationScaledOnItsOwnIsCaught() {
        let whole = classification(rows: 500, scale: 5)
        let separately = findings(standardised(whole.subset(Array(0..<400))), validation: standardised(whole.subset(Array(400..<500))), separate: true)
        #expect(status("K104", separately) == .failure)
        let together = standardised(whole)
        #expect(status("K104", findings(together.subset(Array(0..<400)), validation: together.subset(Array(400..<500)), separate: true)) == .pass)
    }

    @Test func weightsTooSmallOutsideAndUniform() {
        let wide = classification(rows: 400, columns: 64)
        #expect(status("K201", findings(wide) { $0.initialization = .uniform }) == .failure)
        #expect(status("K201", findings(wide) { $0.initialization = .he }) == .pass)
        let narrow = classification(rows: 400, columns: 2)
        #expect(status("K202", findings(narrow) { $0.initialization = .he; $0.hidden = [] }) == .warning)
        #expect(status("K202", findings(wide) { $0.initialization = .he }) == .pass)
        #expect(status("K203", findings(wide) { $0.initialization = .uniform }) == .warning)
        #expect(status("K203", findings(wide) { $0.initialization = .glorot }) == .pass)
    }

    @Test func inputsMustSuitTheInitialisation() {
        let large = classification(rows: 400, columns: 16, scale: 100)
        #expect(status("K204", findings(large) { $0.normalization = .none }) == .failure)
        #expect(status("K204", findings(large) { $0.normalization = .standard }) == .pass)
        #expect(status("K204", findings(large) { $0.normalization = .none; $0.activation = .tanh; $0.initialization = .lecun })?.rawValue == "fail")
    }

    @Test func redundantInputsAreFound() {
        var data = classification(rows: 400, columns: 6)
        #expect(status("K301", findings(data)) == .pass)
        for row in 0..<400 { data.features.values[row * 6 + 5] = 2 * data.features.values[row * 6] + 1 }
        let found = findings(data)["K301"]!
        #expect(found.status == .warning)
        #expect(found.values["max_abs_correlation"]! > 0.999)
        #expect(found.values["redundant_directions"] == 1)
    }

    @Test func duplicatesAndLeakage() {
        let data = classification(rows: 300)
        #expect(status("K302", findings(data)) == .pass)
        var repeated = data
        for column in 0..<8 { repeated.features.values[10 * 8 + column] = repeated.features.values[column] }
        repeated.targets[10] = repeated.targets[0]
        #expect(status("K302", findings(repeated)) == .warning)
        let leaking = data.subset(Array(0..<50))
        #expect(status("K302", findings(data, validation: leaking)) == .failure)
        #expect(findings(data, validation: leaking)["K302"]!.values["validation_rows_in_training"] == 50)
    }

    @Test func unnormalisedDataWithoutNormalisation() {
        let raw = classification(rows: 300, scale: 20)
        #expect(status("K303", findings(raw) { $0.normalization = .none }) == .failure)
        #expect(status("K303", findings(raw) { $0.normalization = .standard }) == .pass)
        #expect(status("K303", findings(standardised(raw)) { $0.normalization = .none }) == .pass)
    }

    @Test func sigmoidInHiddenLayers() {
        let data = classification(rows: 300)
        #expect(status("K401", findings(data) { $0.activation = .sigmoid }) == .warning)
        #expect(status("K401", findings(data) { $0.activation = .relu }) == .pass)
        #expect(status("K401", findings(data) { $0.hidden = [] }) == .notApplicable)
    }

    /// A model xj does not build itself: one dense layer with a tanh output.
    func tanhModel(inputs: Int) -> ModelDescription {
        ModelDescription(steps: [.dense(inputs: inputs, outputs: 1, weights: Array(repeating: 0.1, count: inputs)), .activation("tanh")],
                         initialization: "glorot", initializationScalesWithFanIn: true)
    }

    func run(_ data: TrainingData, model: ModelDescription) -> [String: CheckFinding] {
        let input = DataCheckInput(fileOrderTargets: data.targets, training: data, validation: data.subset([0, 1]), separateValidation: false,
                                   configuration: TrainingConfiguration())
        return Dictionary(uniqueKeysWithValues: SanityChecks.run(input, model: model).map { ($0.code, $0) })
    }

    @Test func tanhOutputNeedsLabelsInRange() {
        let features = randomFeatures(rows: 100, columns: 4)
        let inRange = TrainingData(features: features, targets: (0..<100).map { Float($0 % 21) / 10 - 1 }, task: .regression)
        let outOfRange = TrainingData(features: features, targets: (0..<100).map { Float($0 % 6) }, task: .regression)
        #expect(status("K402", run(inRange, model: tanhModel(inputs: 4))) == .pass)
        #expect(status("K402", run(outOfRange, model: tanhModel(inputs: 4))) == .failure)
        #expect(status("K402", run(classification(rows: 100, columns: 4), model: tanhModel(inputs: 4))) == .failure)
        #expect(status("K402", findings(classification(rows: 100))) == .notApplicable)
    }

    @Test func labelsMustSuitTheLastActivation() {
        let features = randomFeatures(rows: 200, columns: 4)
        let classesAsNumbers = TrainingData(features: features, targets: (0..<200).map { Float($0 % 3) }, task: .regression)
        let realValued = TrainingData(features: features, targets: (0..<200).map { Float($0) * 0.37 }, task: .regression)
        #expect(status("K403", findings(classesAsNumbers)) == .warning)
        #expect(status("K403", findings(realValued)) == .pass)
        let continuousClasses = TrainingData(features: features, targets: (0..<200).map { Float($0 % 150) }, task: .classification(classes: 150))
        #expect(status("K403", findings(continuousClasses)) == .failure)
        #expect(status("K403", findings(classification(rows: 200, classes: 3))) == .pass)
        let sigmoidOutput = ModelDescription(steps: [.dense(inputs: 4, outputs: 1, weights: [0.1, 0.2, 0.3, 0.4]), .activation("sigmoid")],
                                             initialization: "glorot", initializationScalesWithFanIn: true)
        #expect(status("K403", run(realValued, model: sigmoidOutput)) == .failure)
    }

    @Test func moreParametersThanExamples() {
        let data = classification(rows: 100)
        #expect(status("K501", findings(data) { $0.hidden = [64] }) == .warning)
        #expect(status("K501", findings(data) { $0.hidden = [] }) == .pass)
    }

    @Test func batchNormPositions() {
        let dense = ModelDescription.Step.dense(inputs: 2, outputs: 2, weights: [0.5, -0.5, 0.5, 0.5])
        func check(_ steps: [ModelDescription.Step]) -> CheckStatus {
            SanityChecks.batchNormPosition(ModelDescription(steps: steps, initialization: "he", initializationScalesWithFanIn: true)).status
        }
        #expect(check([dense, .batchNorm, .activation("relu"), dense, .activation("softmax")]) == .pass)
        #expect(check([dense, .activation("relu"), .dropout(0.5), .batchNorm, dense, .activation("softmax")]) == .failure)
        #expect(check([dense, .activation("relu"), dense, .batchNorm, .activation("softmax")]) == .failure)
        #expect(check([dense, .activation("relu"), dense, .activation("softmax")]) == .notApplicable)
    }

    func curve(_ pairs: [(Double, Double)]) -> [EpochMetrics] {
        pairs.enumerated().map { EpochMetrics(epoch: $0.offset + 1, trainLoss: $0.element.0, validationLoss: $0.element.1, seconds: 0) }
    }

    @Test func overfittingIsSeenInTheCurve() {
        let overfit = curve([(1, 1), (0.8, 0.8), (0.6, 0.7), (0.4, 0.72), (0.3, 0.75), (0.2, 0.8), (0.1, 0.9)])
        let finding = TrainingMonitor.overfitting(overfit, patience: 0)
        #expect(finding.status == .warning)
        #expect(finding.message.contains("epoch 4"))
        #expect(TrainingMonitor.overfitting(curve([(1, 1), (0.8, 0.85), (0.6, 0.7), (0.5, 0.65), (0.4, 0.6)]), patience: 0).status == .pass)
        #expect(TrainingMonitor.overfitting(curve([(1, 1), (0.8, 0.9)]), patience: 0).status == .notApplicable)
    }

    @Test func gradientAndUpdateThresholds() {
        #expect(TrainingMonitor.gradients([[1e-6, 0.1], [2e-6, 0.1]], curve: []).status == .failure)
        #expect(TrainingMonitor.gradients([[0.01, 0.1]], curve: []).status == .pass)
        #expect(TrainingMonitor.gradients([[500, 1]], curve: []).status == .failure)
        #expect(TrainingMonitor.gradients([[.nan, 1]], curve: []).status == .failure)
        #expect(TrainingMonitor.updates([[0.5, 0.3]]).status == .warning)
        #expect(TrainingMonitor.updates([[1e-7, 1e-6]]).status == .warning)
        #expect(TrainingMonitor.updates([[1e-3, 5e-3]]).status == .pass)
    }

    /// The during-training checks measured on real training runs.
    @Test func duringTrainingChecksOnRealRuns() {
        let data = classification(rows: 400, columns: 8, classes: 2)
        let (training, validation) = (data.subset(Array(0..<320)), data.subset(Array(320..<400)))
        func during(_ configure: (inout TrainingConfiguration) -> Void) -> [String: CheckFinding] {
            var configuration = TrainingConfiguration()
            configuration.epochs = 5
            configure(&configuration)
            let result = Trainer.train(configuration, training: training, validation: validation)
            return Dictionary(uniqueKeysWithValues: result.findings.map { ($0.code, $0) })
        }
        let healthy = during { $0.hidden = [16] }
        #expect(healthy["K502"]?.status == .pass)
        #expect(healthy["K505"]?.status == .pass)
        // Eight sigmoid layers: each multiplies the gradient by at most 1/4 on its way to the input.
        let deep = during { $0.hidden = Array(repeating: 16, count: 8); $0.activation = .sigmoid; $0.initialization = .glorot }
        #expect(deep["K502"]?.status == .failure)
        #expect(deep["K502"]!.message.contains("vanish"))
        let noisy = during { $0.hidden = [16]; $0.optimizer = .sgd; $0.learningRate = 50 }
        #expect(noisy["K505"]?.status == .warning)
        let stalled = during { $0.hidden = [16]; $0.learningRate = 1e-8 }
        #expect(stalled["K505"]?.status == .warning)
    }
}
