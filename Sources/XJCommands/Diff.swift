import ArgumentParser
import Foundation
import Journal

/// `xj diff A B`: what differs between two revisions.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what differs between two revisions: datasets, parameter sets key by key, other records.",
        discussion: """
        With two experiment ids: their parameters, dataset, metrics with deltas and learning curves side by side.

        Examples:
          xj diff main dropout-study
          xj diff HEAD~1 HEAD --json
          xj diff 5dfe28a ed86296        # two experiments
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The older revision.")
    var from: String

    @Argument(help: "The newer revision.")
    var to: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        if case let .experiment(old)? = try? journal.show(from), case let .experiment(new)? = try? journal.show(to) {
            showExperiments(ExperimentDiff(old: old, new: new))
            return
        }
        let diff = try journal.diff(from, to)
        if json {
            Output.json(diff.json)
            return
        }
        Output.line("diff \(diff.from.short)..\(diff.to.short)")
        if diff.isEmpty { Output.line("  no differences") }
        for record in diff.records {
            let ids = "\(record.oldID?.short ?? "-") → \(record.newID?.short ?? "-")"
            Output.line("\(record.change.rawValue) \(record.kind) \(record.name) (\(ids))")
            let rows = record.values.map { ["  " + $0.key, $0.old?.displayText ?? "(none)", "→", $0.new?.displayText ?? "(none)"] }
            for line in Output.table(rows) { Output.line(line) }
        }
        for other in diff.others { Output.line("\(other.kind.rawValue) \(other.record.path)") }
        if !diff.addedExperiments.isEmpty || !diff.removedExperiments.isEmpty {
            Output.line("experiments: +\(diff.addedExperiments.count) −\(diff.removedExperiments.count)")
            var rows = [["", "experiment", "val_loss", "score", "params"]]
            for (sign, list) in [("+", diff.addedExperiments), ("-", diff.removedExperiments)] {
                for experiment in list.prefix(20) {
                    let keys = experiment.params.keys.sorted(by: CanonicalJSON.precedes).filter { !["model", "impute", "normalize", "init", "split_seed", "val_fraction", "patience", "mc_samples", "weight_decay"].contains($0) }
                    rows.append([sign, experiment.id.short, experiment.metrics["val_loss"]?.numberValue.map(Output.number4) ?? "-",
                                 (experiment.metrics["val_accuracy"] ?? experiment.metrics["val_r2"])?.numberValue.map(Output.number4) ?? "-",
                                 keys.map { "\($0)=\(experiment.params[$0]!.displayText)" }.joined(separator: " ")])
                }
            }
            for line in Output.table(rows) { Output.line(line) }
        }
        for pair in diff.matchedByParameters {
            Output.line("same parameters, other inputs: \(pair.old.id.short) → \(pair.new.id.short)")
            for metric in pair.metrics where metric.delta != nil && metric.delta != 0 {
                Output.line("    \(metric.name)  \(Output.number4(metric.old!)) → \(Output.number4(metric.new!))  (Δ \(Output.number4(metric.delta!)))")
            }
        }
    }

    private func showExperiments(_ diff: ExperimentDiff) {
        if json {
            Output.json(diff.json)
            return
        }
        Output.line("diff experiment \(diff.old.id.short) → \(diff.new.id.short)" + (diff.sameRunKey ? " (same run key: replicates)" : ""))
        let datasets = (diff.old.datasetID?.short ?? "none", diff.new.datasetID?.short ?? "none")
        Output.line(diff.sameDataset ? "dataset: the same (\(datasets.0))" : "dataset: CHANGED \(datasets.0) → \(datasets.1)")
        if diff.old.command != diff.new.command {
            Output.line("command: \(diff.old.command.map(ExperimentText.shellWords) ?? "(xj train)") → \(diff.new.command.map(ExperimentText.shellWords) ?? "(xj train)")")
        }
        if diff.parameters.isEmpty { Output.line("params: the same") } else {
            Output.line("params:")
            for line in Output.table(diff.parameters.map { ["  " + $0.key, $0.old?.displayText ?? "(none)", "→", $0.new?.displayText ?? "(none)"] }) { Output.line(line) }
        }
        Output.line("metrics:")
        var rows: [[String]] = []
        for metric in diff.metrics {
            rows.append(["  " + metric.name, metric.old.map(Output.number4) ?? "-", metric.new.map(Output.number4) ?? "-",
                         metric.delta.map { ($0 >= 0 ? "+" : "") + Output.number4($0) } ?? ""])
        }
        for line in Output.table(rows) { Output.line(line) }
        if !diff.checks.isEmpty {
            Output.line("checks:")
            for line in Output.table(diff.checks.map { ["  " + $0.code, $0.old ?? "(none)", "→", $0.new ?? "(none)", $0.title] }) { Output.line(line) }
        } else if !diff.new.checks.isEmpty {
            Output.line("checks: the same (\(RecordedCheck.summary(diff.new.checks)))")
        }
        let curve = diff.curve("val_loss")
        if !curve.isEmpty {
            Output.line("val_loss by epoch (old | new):")
            for line in Output.table(ExperimentText.sampledIndices(count: curve.count).map { index in
                [String(curve[index].epoch), curve[index].old.map(Output.number4) ?? "-", curve[index].new.map(Output.number4) ?? "-"]
            }) { Output.line(line) }
        }
    }
}
