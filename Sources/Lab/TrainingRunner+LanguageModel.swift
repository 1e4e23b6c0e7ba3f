import Foundation
import Journal
import Training

// MARK: - `xj train --model lstm`

extension TrainingRunner {
    /// Trains a character-level LSTM on a text corpus (its first `split` of characters; the rest
    /// validates) and stages the experiment: metrics and curves in bits per character, the weights as
    /// one float32 vector in `CharacterLSTM.tensors` order, `model.json` saying where each tensor sits.
    func trainLanguageModel(_ parameters: TrainingParameters, _ configuration: LanguageModelConfiguration, dataset: DatasetRecord, runKey: TreeID, earlier: [ExperimentRecord],
                            progress: ((EpochMetrics, Int) -> Void)?, batchProgress: ((Double) -> Void)?) throws -> TrainOutcome {
        let tokens = try journal.characters(of: dataset)
        let cut = Int(Double(tokens.count) * (dataset.manifest.trainFraction ?? 0.9))
        let training = Array(tokens[..<cut]), validation = Array(tokens[cut...])
        let started = Date()
        let result = LanguageModelTrainer.train(configuration, vocabulary: dataset.manifest.classes.count, training: training, validation: validation,
                                                progress: { epoch in
                                                    progress?(EpochMetrics(epoch: epoch.epoch, trainLoss: epoch.trainBPC / LanguageModelTrainer.bitsPerNat,
                                                                           validationLoss: epoch.validationBPC / LanguageModelTrainer.bitsPerNat, seconds: epoch.seconds),
                                                              configuration.epochs)
                                                }, batchProgress: batchProgress)
        let repository = journal.repository
        var metricValues = result.metrics
        metricValues["parameters"] = Double(result.model.parameterCount)
        metricValues["epochs_run"] = Double(result.curve.count)
        let metrics = JSONValue.object(metricValues.mapValues { .number($0) })
        let curves: JSONValue = .object(["epoch": .array(result.curve.map { JSONValue.number(Double($0.epoch)) }),
                                         "train_bpc": .array(result.curve.map { JSONValue.number($0.trainBPC) }),
                                         "val_bpc": .array(result.curve.map { JSONValue.number($0.validationBPC) }),
                                         "seconds": .array(result.curve.map { JSONValue.number($0.seconds) })])
        var tensors: [JSONValue] = []
        var offset = 0
        let names = (0..<result.model.layers).flatMap { ["lstm\($0).input_weights", "lstm\($0).recurrent_weights", "lstm\($0).bias"] } + ["output.weights", "output.bias"]
        for (name, tensor) in zip(names, result.model.tensors) {
            tensors.append(["name": .string(name), "offset": .number(Double(offset)), "size": .number(Double(tensor.count))])
            offset += tensor.count
        }
        let model: JSONValue = ["kind": "lstm", "vocabulary": .array(dataset.manifest.classes), "hidden": .number(Double(result.model.hidden)),
                                "layers": .number(Double(result.model.layers)), "gate_order": "input, forget, cell, output", "tensors": .array(tensors)]
        let flat = result.model.tensors.flatMap { $0 }
        let weights = try repository.writeBlob(NpyEncoding.float32(flat, shape: [flat.count]))
        var log = result.curve.map { "epoch \($0.epoch): train_bpc \($0.trainBPC) val_bpc \($0.validationBPC) (\($0.seconds) s)" }
        if let epoch = result.divergedAt { log.append("diverged in epoch \(epoch): the loss or the gradient norm stopped being a number") }
        let results = try repository.writeTree([
            .blob("metrics.json", try repository.writeBlob(CanonicalJSON.bytes(metrics))),
            .blob("curves.json", try repository.writeBlob(CanonicalJSON.bytes(curves))),
            .blob("weights.npy", weights),
            .blob("model.json", try repository.writeBlob(CanonicalJSON.bytes(model))),
            .blob("log.txt", try repository.writeBlob(Array((log.joined(separator: "\n") + "\n").utf8))),
            .blob("checks.json", try repository.writeBlob(CanonicalJSON.bytes(RecordedCheck.file([])))),
        ])
        var run = Self.runRecord(started: started, divergedAt: result.divergedAt, replicates: earlier, weights: weights, metrics: metrics)
        run["tokens_per_second"] = .number(result.tokensPerSecond.rounded())
        let inputs = try repository.writeTree(try inputEntries(parameters: parameters, dataset: dataset, validation: nil, write: true))
        precondition(inputs == runKey, "the inputs tree written differs from the run key computed before training")
        let experimentID = try repository.writeTree([.tree("inputs", runKey), .tree("results", results),
                                                     .blob("run.json", try repository.writeBlob(CanonicalJSON.bytes(.object(run))))])
        let path = JournalLayout.experimentPath(runKey: runKey.hex, experiment: experimentID.hex)
        try journal.stage([path: .tree(experimentID.hex, experimentID)], note: "experiment \(experimentID.short)")
        let record = try journal.experiment(experimentID)
        return .trained(record, replicates: earlier, agreesWithReplicates: earlier.isEmpty ? nil : Self.agree(record, earlier))
    }
}
