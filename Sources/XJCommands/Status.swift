import ArgumentParser
import Journal
import Lab

/// `xj status`: the current line of inquiry and what is staged.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the current line of inquiry and what is staged for the next commit.",
        discussion: "Example:\n  xj status --json"
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let branch = try journal.currentBranch()
        let head = try journal.head(of: branch)
        let staged = try journal.stagedRecords()
        let elsewhere = try journal.otherLinesWithStagedWork()
        if json {
            Output.json([
                "branch": .string(branch),
                "head": head.map { .string($0.hex) } ?? .null,
                "staged": .array(staged.map { .object(["path": .string($0.path), "id": .string($0.id.hex)]) }),
                "staged_elsewhere": .object(Dictionary(uniqueKeysWithValues: elsewhere.map { ($0.line, .number(Double($0.records))) })),
            ])
            return
        }
        Output.line("On line of inquiry \(branch)" + (head.map { " at \($0.short)" } ?? " (no commits yet)"))
        if staged.isEmpty {
            Output.line("Nothing staged.")
        } else {
            Output.line("Staged for the next commit:")
            let experiments = staged.filter { $0.category == JournalLayout.experiments }
            let others = staged.filter { $0.category != JournalLayout.experiments }
            if !experiments.isEmpty {
                let names = try journal.workingState().map { try journal.datasetIDs(in: $0) } ?? [:]
                let byID = Dictionary(names.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
                var rows = [["experiment", "model", "dataset", "parameters (not defaults)", "metrics"]]
                for record in experiments {
                    let experiment = try journal.experiment(TreeID(record.id))
                    rows.append([experiment.id.short, Self.model(experiment), experiment.datasetID.map { byID[$0] ?? $0.short } ?? "-",
                                 Self.changedParameters(experiment), ExperimentText.metricSummary(experiment.metrics)])
                }
                for line in Output.table(rows) { Output.line(line) }
            }
            for line in Output.table(others.map { [$0.path, $0.id.short] }) { Output.line(line) }
        }
        for (line, records) in elsewhere {
            Output.line("Also staged on \(line): \(records) record\(records == 1 ? "" : "s") (xj status --on \(line))")
        }
    }

    /// `mlp`, `linear`, or the program an `xj run` experiment ran.
    static func model(_ experiment: ExperimentRecord) -> String {
        if let command = experiment.command { return "run: " + String(ExperimentText.shellWords(command).prefix(30)) }
        return experiment.params["model"]?.displayText ?? "?"
    }

    /// The parameters that differ from the model's defaults (all of them for an `xj run` experiment).
    static func changedParameters(_ experiment: ExperimentRecord) -> String {
        var defaults: [String: JSONValue] = [:]
        if experiment.command == nil, let model = experiment.params["model"]?.stringValue {
            // The defaults a bare `xj train --model M` resolves to, with this run's optimizer (lr's default follows it).
            var given: [String: JSONValue] = [:]
            if let optimizer = experiment.params["optimizer"] { given["optimizer"] = optimizer }
            defaults = (try? TrainingParameters.resolve(model: model, given: given))?.resolved ?? [:]
        }
        let changed = experiment.params.keys.sorted().filter { $0 != "model" && experiment.params[$0] != defaults[$0] }
        return changed.map { "\($0)=\(experiment.params[$0]!.displayText)" }.joined(separator: " ")
    }
}
