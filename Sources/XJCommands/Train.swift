import ArgumentParser
import Foundation
import Journal
import Lab
import Training

/// `xj train`: train a model with the built-in CPU core and stage the experiment.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset with the built-in CPU core and stage the experiment.",
        discussion: """
        Parameters are key=value (typed like `xj add`); every default is filled in and recorded, so the experiment says everything it was computed with. The inputs (dataset, parameters, trainer version) hash to the run key: training the same inputs again says "already run" unless --force.

        Models: linear (softmax/logistic/linear regression), mlp (hidden=128,64 activation=relu dropout=0.2). Parameters: hidden activation dropout mc_samples init optimizer lr momentum weight_decay epochs batch_size seed split_seed val_fraction normalize patience impute. See Docs/Training.md.

        Examples:
          xj train --data digits --model mlp hidden=128 dropout=0.2 lr=0.001 epochs=30 batch_size=64 seed=1
          xj train --data digits --model linear lr=0.1 epochs=50 seed=3
          xj train --data digits --val digits-test --model mlp optimizer=nesterov lr=0.05 --json
          xj train --data digits --model mlp normalize=none --strict     # refused: K303 fails
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @OptionGroup var target: TrainingTargetOptions
    @OptionGroup var stored: StoredParametersOption

    @Flag(help: "Train again even if these inputs were already run (a replicate).")
    var force = false

    @Flag(help: "Refuse to train when a sanity check fails (see `xj check`).")
    var strict = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("Training parameters.", valueName: "key=value"))
    var parameters: [String] = []

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        // Said once training starts: asking which kernels are in use loads OpenBLAS, which a re-run never needs.
        var kernelsNoted = false
        func noteKernels() {
            guard !kernelsNoted else { return }
            kernelsNoted = true
            if let notice = BLASKernel.current.notice() { Output.note("note: " + notice) }
        }
        let values = try stored.merged(journal, try ParameterSet.parse(assignments: parameters, source: "train").values)
        let runner = TrainingRunner(journal: journal)
        // The bar's total is the resolved number of epochs, which the runner reports with each epoch.
        var bar: ProgressBar?
        let interrupt = Interruption.install("interrupted: nothing was recorded (xj train records a run only when it finishes)")
        defer { interrupt.cancel() }
        let request = TrainRequest(dataset: target.data, validation: target.val, model: target.model, parameters: values, force: force, strict: strict)
        let outcome = try runner.train(request, progress: { metrics, epochs in
            noteKernels()
            var status = String(format: "loss %.4f val_loss %.4f", metrics.trainLoss, metrics.validationLoss)
            if let accuracy = metrics.validationAccuracy { status += String(format: " val_acc %.4f", accuracy) }
            if bar == nil { bar = ProgressBar(total: epochs) }
            bar?.update(metrics.epoch, status: status)
        }, batchProgress: { fraction in
            noteKernels()
            if bar == nil {
                bar = ProgressBar(total: Int((try? TrainingParameters.resolve(model: target.model, given: values).configuration.epochs) ?? 0))
                bar?.start(status: "epoch 1")
            }
            bar?.advance(to: fraction)
        })
        bar?.finish()
        switch outcome {
        case let .alreadyRun(earlier):
            ExperimentText.reportAlreadyRun(earlier, journal: journal, json: json, nothing: "nothing trained; --force runs it again as a replicate")
        case let .trained(record, replicates, agrees):
            noteKernels()
            if let epoch = record.run["diverged_epoch"]?.numberValue {
                // A diverged run is a result, recorded like any other: exit 0, with one line saying so.
                let finished = Int(record.metrics["epochs_run"]?.numberValue ?? 0)
                Output.note("diverged in epoch \(Int(epoch)): the loss or the weights became infinite or NaN; recorded with status diverged " +
                            (finished > 0 ? "and the metrics of epoch \(finished)" : "and no metrics (no epoch finished)") +
                            " (K502 fails); lower lr or scale the target")
            }
            if json {
                var members = record.json.objectValue ?? [:]
                members["outcome"] = "trained"
                members["replicates"] = .array(replicates.map { .string($0.id.hex) })
                if let agrees { members["agrees_with_replicates"] = .bool(agrees) }
                Output.json(.object(members))
                return
            }
            Output.line("run key     \(record.runKey.hex)")
            Output.line("experiment  \(record.id.hex) (staged)")
            Output.line("metrics     \(ExperimentText.metricSummary(record.metrics))")
            for line in ExperimentText.checkLines(record.checks, indent: "") { Output.line(line) }
            if let agrees {
                Output.line(agrees ? "replicate: bit-identical to \(replicates.count) earlier run(s)"
                                   : "warning: non-deterministic: results differ from \(replicates.count) earlier run(s) with the same inputs")
            }
        }
    }
}
