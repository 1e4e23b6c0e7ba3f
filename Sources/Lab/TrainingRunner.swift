import Foundation
import Journal
import Training

/// Runs `xj train`: parameters → inputs tree (run key) → re-run check → data → training →
/// experiment tree on the stage.
public struct TrainingRunner {
    public let journal: LabJournal
    /// The training core's identity recorded in the inputs (a test may pretend another version).
    public let trainer: JSONValue

    public init(journal: LabJournal, trainer: JSONValue = TrainerVersion.json) {
        self.journal = journal
        self.trainer = trainer
    }

    /// The validated parameters, the datasets and the run key of a request, without training.
    public func prepare(_ request: TrainRequest) throws -> (TrainingParameters, DatasetRecord, DatasetRecord?, TreeID) {
        try prepare(request, dataset: try findDataset(request.dataset), validation: try request.validation.map(findDataset))
    }

    /// `prepare` with the request's datasets already found (a sweep finds them once for all its points).
    func prepare(_ request: TrainRequest, dataset: DatasetRecord, validation: DatasetRecord?) throws -> (TrainingParameters, DatasetRecord, DatasetRecord?, TreeID) {
        let parameters = try TrainingParameters.resolve(model: request.model, given: request.parameters, separateValidation: request.validation != nil)
        let source = "dataset \(dataset.name ?? dataset.id.short)"
        if let languageModel = parameters.languageModel {
            guard dataset.manifest.format == .text else {
                throw LabError.invalidData("\(source) is a table; --model lstm trains a character-level language model on a text corpus (xj add corpus.txt --text)")
            }
            guard validation == nil else { throw LabError.invalidData("--val does not apply to --model lstm: a text corpus holds its validation text (xj add --split)") }
            let trainCharacters = Int(Double(dataset.manifest.characters ?? 0) * (dataset.manifest.trainFraction ?? 0.9))
            if LanguageModelTrainer.batchesPerPass(tokens: trainCharacters, streams: languageModel.batchSize, steps: languageModel.sequenceLength) == 0 {
                throw LabError.invalidParameter(key: "batch_size", message: "× seq_len = \(languageModel.batchSize * languageModel.sequenceLength) characters per batch, more than the \(trainCharacters) training characters of \(source)")
            }
            let runKey = try journal.repository.hashTree(try inputEntries(parameters: parameters, dataset: dataset, validation: nil, write: false))
            try MemoryBudget.checkLanguageModel(languageModel, vocabulary: dataset.manifest.classes.count)
            return (parameters, dataset, nil, runKey)
        }
        if dataset.manifest.format == .text {
            throw LabError.invalidData("\(source) is a text corpus: train it with --model lstm")
        }
        let runKey = try journal.repository.hashTree(try inputEntries(parameters: parameters, dataset: dataset, validation: validation, write: false))
        // Refused before anything is allocated: a run that would not fit in memory is named, not attempted
        // (after the manifest it is estimated from is checked against its data's size).
        for record in [dataset] + (validation.map { [$0] } ?? []) { try journal.checkManifestSize(record) }
        try MemoryBudget.check(parameters, dataset: dataset.manifest)
        return (parameters, dataset, validation, runKey)
    }

    /// Trains unless the run key is already recorded (or `force`), then stages the experiment.
    /// - Parameter progress: called after each epoch with its metrics and the number of epochs planned.
    /// - Parameter batchProgress: called after each batch with the fraction of the run done.
    public func train(_ request: TrainRequest, progress: ((EpochMetrics, Int) -> Void)? = nil,
                      batchProgress: ((Double) -> Void)? = nil) throws -> TrainOutcome {
        let (parameters, dataset, validationDataset, runKey) = try prepare(request)
        let known = try RunIndex(journal: journal).recordedExperiments(runKey: runKey.object)
        if !known.isEmpty && !request.force { return .alreadyRun(known) }
        let earlier = try known.map { try journal.experiment(TreeID($0.experiment)) }
        if let languageModel = parameters.languageModel {
            return try trainLanguageModel(parameters, languageModel, dataset: dataset, runKey: runKey, earlier: earlier, progress: progress, batchProgress: batchProgress)
        }

        var sets = try load(parameters: parameters, dataset: dataset, validationDataset: validationDataset)
        let findings = checks(sets, configuration: parameters.configuration)
        let failures = findings.filter { $0.status == .failure }
        if request.strict && !failures.isEmpty { throw LabError.checksFailed(failures.map { "\($0.code) \($0.title): \($0.message)" }) }
        let names = sets.featureNames

        let started = Date()
        let epochs = parameters.configuration.epochs
        let result = Trainer.train(parameters.configuration, scaling: &sets.training, validation: &sets.validation, test: sets.test, scaler: sets.scaler,
                                   progress: { progress?($0, epochs) }, batchProgress: batchProgress)
        let written = try journal.repository.writeTree(try inputEntries(parameters: parameters, dataset: dataset, validation: validationDataset, write: true))
        precondition(written == runKey, "the inputs tree written differs from the run key computed before training")
        let experimentID = try writeExperiment(runKey: runKey, result: result, featureNames: names, checks: findings + result.findings,
                                               started: started, replicates: earlier)
        let path = JournalLayout.experimentPath(runKey: runKey.hex, experiment: experimentID.hex)
        try journal.stage([path: .tree(experimentID.hex, experimentID)], note: "experiment \(experimentID.short)")
        let record = try journal.experiment(experimentID)
        let agrees = earlier.isEmpty ? nil : Self.agree(record, earlier)
        return .trained(record, replicates: earlier, agreesWithReplicates: agrees)
    }

    /// Loads, splits and completes the training and validation sets of a request.
    func load(parameters: TrainingParameters, dataset: DatasetRecord, validationDataset: DatasetRecord?) throws -> LoadedTrainingSets {
        let source = "dataset \(dataset.name ?? dataset.id.short)"
        var table = try journal.table(for: dataset)
        let names = TrainingSetBuilder.featureNames(table, label: dataset.manifest.label)
        var training = try TrainingSetBuilder.examples(&table, manifest: dataset.manifest, source: source)
        let fileOrderTargets = training.targets
        let configuration = parameters.configuration
        if training.task != .regression {
            for (key, given) in [("tau", configuration.tau != nil), ("target_normalize", configuration.standardizeTargets)] where given {
                throw LabError.invalidParameter(key: key, message: "applies to regression (a numeric label), and \(source)'s label `\(dataset.manifest.label)` is a class label")
            }
        }
        // The test part is held out first, with its own stream of the split seed; validation comes from the rest.
        var test: TrainingData?
        var keptRows = Array(0..<training.count)
        var testRows: [Int] = []
        if parameters.testFraction > 0 {
            (keptRows, testRows) = training.stratifiedSplit(validationFraction: parameters.testFraction, seed: parameters.splitSeed, stream: 7)
            guard !keptRows.isEmpty, !testRows.isEmpty else {
                throw LabError.invalidData("\(source): \(training.count) rows are too few to hold out a test part of \(parameters.testFraction)")
            }
            test = training.partition(trainingRows: keptRows, validationRows: testRows)
        }
        let columnNames = table.names
        table = DatasetTable(names: [], kinds: [], values: [], text: [])
        var validation: TrainingData
        var trainingRows: [Int]
        var validationRows: [Int]
        var validationSource = source
        if let validationDataset {
            validationSource = "dataset \(validationDataset.name ?? validationDataset.id.short)"
            var validationTable = try journal.table(for: validationDataset)
            guard validationTable.names == columnNames, validationDataset.manifest.label == dataset.manifest.label,
                  validationDataset.manifest.classes == dataset.manifest.classes || dataset.manifest.task == .regression else {
                throw LabError.invalidData("\(validationSource) does not have the columns, label and classes of \(source)")
            }
            validation = try TrainingSetBuilder.examples(&validationTable, manifest: validationDataset.manifest, source: validationSource)
            trainingRows = Array(0..<training.count)
            validationRows = Array(0..<validation.count)
        } else if parameters.validationFraction == 0 {
            trainingRows = keptRows
            validationRows = []
            validation = training.subset([])
        } else {
            (trainingRows, validationRows) = training.stratifiedSplit(validationFraction: parameters.validationFraction!, seed: parameters.splitSeed)
            guard !trainingRows.isEmpty, !validationRows.isEmpty else {
                throw LabError.invalidData("\(source): \(training.count) rows are too few to split into training and validation")
            }
            validation = training.partition(trainingRows: trainingRows, validationRows: validationRows)
            // Row numbers in messages are the file's: map them through the rows the test part left.
            (trainingRows, validationRows) = (trainingRows.map { keptRows[$0] }, validationRows.map { keptRows[$0] })
        }
        try TrainingSetBuilder.handleMissing(training: &training, validation: &validation, impute: parameters.imputeMean, names: names,
                                             trainingRows: trainingRows, validationRows: validationRows, source: source, validationSource: validationSource)
        if var held = test {
            try TrainingSetBuilder.handleMissing(training: &training, validation: &held, impute: parameters.imputeMean, names: names,
                                                 trainingRows: trainingRows, validationRows: testRows, source: source, validationSource: source)
            test = held
        }
        var sets = LoadedTrainingSets(training: training, validation: validation, fileOrderTargets: fileOrderTargets, featureNames: names,
                                      separateValidation: validationDataset != nil,
                                      scaler: FeatureScaler(fitting: training.features, mode: configuration.normalization))
        sets.test = test
        return sets
    }

    /// The before-training and model checks of loaded sets, on the network training would start from.
    func checks(_ sets: LoadedTrainingSets, configuration: TrainingConfiguration) -> [CheckFinding] {
        let network = Trainer.initialNetwork(configuration, inputs: sets.training.features.columns, task: sets.training.task)
        var input = DataCheckInput(fileOrderTargets: sets.fileOrderTargets, training: sets.training, validation: sets.validation,
                                   separateValidation: sets.separateValidation, configuration: configuration, featureNames: sets.featureNames)
        input.scaler = sets.scaler
        return SanityChecks.run(input, model: ModelDescription(network: network, configuration: configuration, task: sets.training.task))
    }

    /// Runs the before-training and model checks of a request without training (`xj check`).
    public func check(_ request: TrainRequest) throws -> (findings: [CheckFinding], runKey: TreeID) {
        let (parameters, dataset, validationDataset, runKey) = try prepare(request)
        let sets = try load(parameters: parameters, dataset: dataset, validationDataset: validationDataset)
        return (checks(sets, configuration: parameters.configuration), runKey)
    }

    /// A finding as the journal records it.
    public static func record(_ finding: CheckFinding) -> RecordedCheck {
        RecordedCheck(code: finding.code, title: finding.title, stage: finding.stage.rawValue, status: finding.status.rawValue,
                      message: finding.message, values: finding.values)
    }

    /// Whether replicates computed the same thing bit for bit: the same weights and the same metrics.
    static func agree(_ record: ExperimentRecord, _ others: [ExperimentRecord]) -> Bool {
        others.allSatisfy { $0.weights == record.weights && $0.metrics == record.metrics }
    }

    // MARK: - Objects

    func findDataset(_ name: String) throws -> DatasetRecord {
        if (try? RecordNames.validate(name, kind: "dataset")) != nil, let named = try? journal.dataset(named: name) { return named }
        if case let .dataset(found) = try? journal.show(name) { return found }
        throw journal.unknownDataset(name)
    }

    /// The entries of the inputs tree, whose id is the run key. With `write: false` only the ids are
    /// computed, so asking for a run key (or being refused for bad data) writes nothing.
    func inputEntries(parameters: TrainingParameters, dataset: DatasetRecord, validation: DatasetRecord?, write: Bool) throws -> [TreeEntry] {
        let repository = journal.repository
        func blob(_ value: JSONValue) throws -> BlobID {
            let bytes = CanonicalJSON.bytes(value)
            return write ? try repository.writeBlob(bytes) : try repository.hashBlob(bytes)
        }
        var entries: [TreeEntry] = [
            .tree("dataset", dataset.id),
            .blob("params.json", try blob(.object(parameters.resolved))),
            .blob("trainer.json", try blob(trainer)),
        ]
        if let validation { entries.append(.tree("validation", validation.id)) }
        return entries
    }

    /// `run.json`: when, where, with which BLAS, the status, and for a replicate whether it reproduced
    /// the earlier runs of its run key bit for bit.
    static func runRecord(started: Date, divergedAt: Int?, replicates: [ExperimentRecord], weights: BlobID, metrics: JSONValue) -> [String: JSONValue] {
        var run = RunTimestamp.runFields(started: started)
        run["status"] = divergedAt == nil ? "ok" : "diverged"
        let blas = BLASKernel.current
        run["blas"] = ["library": .string(blas.library), "configuration": .string(blas.configuration), "core": .string(blas.core),
                       "threads": .number(Double(blas.threads))]
        if let epoch = divergedAt { run["diverged_epoch"] = .number(Double(epoch)) }
        if !replicates.isEmpty {
            run["replicate_of"] = .array(replicates.map { .string($0.id.hex) })
            run["deterministic"] = .bool(replicates.allSatisfy { $0.weights == weights && $0.metrics == metrics.objectValue })
        }
        return run
    }

    func writeExperiment(runKey: TreeID, result: TrainingResult, featureNames: [String], checks: [CheckFinding],
                                 started: Date, replicates: [ExperimentRecord]) throws -> TreeID {
        let repository = journal.repository
        let metrics = JSONValue.object(result.metrics.mapValues { .number($0) })
        var curves: [String: JSONValue] = ["epoch": .array(result.curve.map { .number(Double($0.epoch)) }),
                                           "train_loss": .array(result.curve.map { .number($0.trainLoss) }),
                                           "seconds": .array(result.curve.map { .number($0.seconds) })]
        // val_fraction=0 holds no validation rows: no validation curves.
        let validated = !result.curve.contains { $0.validationLoss.isNaN }
        if validated { curves["val_loss"] = .array(result.curve.map { .number($0.validationLoss) }) }
        if result.curve.first?.trainAccuracy != nil {
            curves["train_accuracy"] = .array(result.curve.map { .number($0.trainAccuracy ?? 0) })
            if validated { curves["val_accuracy"] = .array(result.curve.map { .number($0.validationAccuracy ?? 0) }) }
        }
        if validated, result.curve.first?.validationR2 != nil {
            curves["val_mae"] = .array(result.curve.map { .number($0.validationMAE ?? 0) })
            curves["val_r2"] = .array(result.curve.map { .number($0.validationR2 ?? 0) })
        }
        var offset = 0
        var layers: [JSONValue] = []
        for layer in result.network.layers {
            layers.append(["weight_shape": [.number(Double(layer.outputs)), .number(Double(layer.inputs))], "weight_offset": .number(Double(offset)),
                           "bias_offset": .number(Double(offset + layer.weight.values.count)), "bias_size": .number(Double(layer.outputs))])
            offset += layer.weight.values.count + layer.bias.count
        }
        let model: JSONValue = [
            "layers": .array(layers), "activation": .string(result.network.activation.rawValue),
            "features": .array(featureNames.map(JSONValue.string)),
            "scaler_offsets": .array(result.scaler.offsets.map { .number(Double($0)) }),
            "scaler_scales": .array(result.scaler.scales.map { .number(Double($0)) }),
        ]
        let parameters = result.network.flattenedParameters
        let weights = try repository.writeBlob(NpyEncoding.float32(parameters, shape: [parameters.count]))
        let results = try repository.writeTree([
            .blob("metrics.json", try repository.writeBlob(CanonicalJSON.bytes(metrics))),
            .blob("curves.json", try repository.writeBlob(CanonicalJSON.bytes(.object(curves)))),
            .blob("weights.npy", weights),
            .blob("model.json", try repository.writeBlob(CanonicalJSON.bytes(model))),
            .blob("log.txt", try repository.writeBlob(Array((result.log.joined(separator: "\n") + "\n").utf8))),
            .blob("checks.json", try repository.writeBlob(CanonicalJSON.bytes(RecordedCheck.file(CheckCatalog.sorted(checks).map(Self.record))))),
        ])
        let run = Self.runRecord(started: started, divergedAt: result.divergedAt, replicates: replicates, weights: weights, metrics: metrics)
        return try repository.writeTree([
            .tree("inputs", runKey), .tree("results", results),
            .blob("run.json", try repository.writeBlob(CanonicalJSON.bytes(.object(run)))),
        ])
    }
}
