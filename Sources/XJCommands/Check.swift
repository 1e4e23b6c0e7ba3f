import ArgumentParser
import Foundation
import Journal
import Lab
import Training

/// `xj check`: the before-training and model sanity checks, without training.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the sanity checks K101–K505 on a dataset and model without training.",
        discussion: """
        The same checks `xj train` runs before it trains (the data, the split, the initial network) and records in results/checks.json; the during-training checks (K502, K504, K505) need a real run. Each line says pass, warn, fail or n/a with the numbers behind it; Docs/Checks.md explains every check and its threshold. Exits with status 1 when a check fails, so scripts can gate on it; `xj train --strict` refuses to train in that case.

        Examples:
          xj check --data digits --model mlp hidden=128 batch_size=32
          xj check --data digits --model mlp normalize=none init=uniform --json
          xj check --data digits --val digits-test --model linear
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var target: TrainingTargetOptions
    @OptionGroup var stored: StoredParametersOption

    @Flag(help: "Print the findings as JSON.")
    var json = false

    @Flag(help: "List passing checks too (default: a count).")
    var all = false

    @Argument(help: ArgumentHelp("Training parameters, as for `xj train`.", valueName: "key=value"))
    var parameters: [String] = []

    func run() throws {
        let journal = try global.openJournal()
        let values = try stored.merged(journal, try ParameterSet.parse(assignments: parameters, source: "check").values)
        let (findings, runKey) = try TrainingRunner(journal: journal).check(TrainRequest(dataset: target.data, validation: target.val, model: target.model, parameters: values))
        let records = findings.map(TrainingRunner.record)
        let failed = findings.contains { $0.status == .failure }
        if json {
            Output.json(["run_key": .string(runKey.hex), "checks": .array(records.map(\.json)), "failed": .bool(failed)])
        } else {
            Output.line("checks for run key \(runKey.short): \(RecordedCheck.summary(records))")
            var rows: [[String]] = []
            for finding in findings where all || finding.status != .pass {
                rows.append(["  " + finding.status.rawValue, finding.code, finding.title + ": " + finding.message])
            }
            for line in Output.table(rows) { Output.line(line) }
            if !all { Output.line("(--all lists the passing checks too; K502, K504, K505 run during training)") }
        }
        if failed { throw ExitCode(1) }
    }
}
