import Foundation
import ArgumentParser
import Journal

/// `xj show NAME`: a commit, a dataset or a parameter set.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a commit, a dataset or a parameter set (by name, revision or id prefix).",
        discussion: """
        Examples:
          xj show HEAD
          xj show digits          # a dataset by name
          xj show baseline --json # a parameter set by name
          xj show 3f2a91c         # anything by id prefix
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A revision (HEAD, branch, commit id), a dataset or parameter-set name, or an id prefix.")
    var name: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        defer { Output.reportDamaged(journal) }
        let shown = try journal.show(name)
        if json {
            Output.json(shown.json)
            return
        }
        switch shown {
        case let .record(record):
            Output.line("commit \(record.commit.id.hex)" + (record.branches.isEmpty ? "" : " (\(record.branches.joined(separator: ", ")))"))
            Output.line("Author: \(record.commit.author.name) <\(record.commit.author.email)>")
            Output.line("Date:   \(Output.date(record.commit.author.date))")
            Output.line()
            for line in record.note.split(separator: "\n", omittingEmptySubsequences: false) { Output.line("    \(line)") }
            if !record.changes.isEmpty {
                Output.line("Recorded:")
                // Experiments with their headline metrics; other records by path.
                let rows = record.changes.map { change -> [String] in
                    guard change.record.category == JournalLayout.experiments else { return [change.kind.rawValue, change.record.path, change.record.id.short, ""] }
                    let metrics = (try? journal.experiment(TreeID(change.record.id))).map { ExperimentText.metricSummary($0.metrics) } ?? ""
                    return [change.kind.rawValue, "experiment " + change.record.id.short, "run key " + String(change.record.path.split(separator: "/")[2].prefix(7)), metrics]
                }
                for line in Output.table(rows) { Output.line(line) }
            }
        case let .dataset(dataset):
            let manifest = dataset.manifest
            Output.line("dataset \(dataset.name ?? "") \(dataset.id.hex)")
            Output.line("  format \(manifest.format.rawValue)\(manifest.dtype.map { " (\($0))" } ?? ""), \(manifest.bytes) bytes, data blob \(dataset.data.short)")
            if manifest.format == .text {
                let vocabulary = manifest.classes.compactMap(\.stringValue).map { $0 == "\n" ? "\\n" : $0 == " " ? "␠" : $0 }.joined()
                Output.line("  \(manifest.characters ?? 0) characters in \(manifest.rows) lines; the first \(Output.number((manifest.trainFraction ?? 0.9) * 100))% train, the rest validates")
                Output.line("  vocabulary (\(manifest.classes.count)): \(vocabulary)")
                return
            }
            Output.line("  \(manifest.rows) rows × \(manifest.columns.count) columns; label \(manifest.label): \(manifest.task.rawValue)")
            if !manifest.classes.isEmpty { Output.line("  classes: " + manifest.classes.map(\.displayText).joined(separator: ", ")) }
            var rows = [["column", "type", "missing", "min", "max", "mean", "std"]]
            let shown = manifest.columns.count > 20 ? Array(manifest.columns.prefix(10)) + Array(manifest.columns.suffix(5)) : manifest.columns
            for column in shown {
                if column.kind == .categorical {
                    rows.append([column.name, "categorical", String(column.missing), "", "", "", column.distinct.map { "\($0) distinct" } ?? "many distinct"])
                } else {
                    rows.append([column.name, "numeric", String(column.missing), Output.number(column.minimum), Output.number(column.maximum),
                                 Output.number(column.mean), Output.number(column.standardDeviation)])
                }
            }
            for line in Output.table(rows) { Output.line(line) }
            if shown.count < manifest.columns.count { Output.line("  (\(manifest.columns.count - shown.count) more columns; --json shows all)") }
        case let .experiment(experiment):
            Output.line("experiment \(experiment.id.hex)")
            Output.line("  run key   \(experiment.runKey.hex)")
            if let dataset = experiment.datasetID {
                let datasetName = (try? journal.datasetName(for: dataset)) ?? nil
                Output.line("  dataset   \(datasetName.map { "\($0) " } ?? "")\(dataset.short)")
            }
            if let command = experiment.command {
                Output.line("  command   \(ExperimentText.shellWords(command))")
                Output.line("  status    \(experiment.run["status"]?.displayText ?? "?")" +
                            (experiment.run["exit_status"].map { " (exit status \($0.displayText))" } ?? ""))
                if let error = experiment.run["error"]?.stringValue { Output.line("  error     \(error)") }
            } else if let status = experiment.run["status"]?.stringValue, status != "ok" {
                Output.line("  status    \(status)" + (experiment.run["diverged_epoch"].map { " in epoch \($0.displayText)" } ?? ""))
            }
            let keys = experiment.params.keys.sorted(by: CanonicalJSON.precedes)
            Output.line("  params    " + keys.map { "\($0)=\(experiment.params[$0]!.displayText)" }.joined(separator: " "))
            Output.line("  metrics   \(ExperimentText.metricSummary(experiment.metrics))")
            if let started = experiment.run["started"]?.stringValue, let seconds = experiment.run["duration_seconds"]?.numberValue {
                Output.line("  run       \(started), \(String(format: "%.1f", seconds)) s on \(experiment.run["host"]?.displayText ?? "?")")
            }
            if let blas = experiment.run["blas"] {
                let version = blas["configuration"]?.stringValue?.split(separator: " ").prefix(2).joined(separator: " ") ?? blas["library"]?.displayText ?? "?"
                Output.line("  blas      \(version), core \(blas["core"]?.displayText ?? "?"), \(blas["threads"]?.displayText ?? "?") threads")
            }
            let replicates = (try? RunIndex(journal: journal).recordedExperiments(runKey: experiment.runKey.object)) ?? []
            if replicates.count > 1 {
                let others = try replicates.filter { $0.experiment != experiment.id.object }.map { try journal.experiment(TreeID($0.experiment)) }
                let agree = others.allSatisfy { $0.weights == experiment.weights && $0.metrics == experiment.metrics }
                Output.line("  replicates \(replicates.count) with this run key; " +
                            (agree ? "all agree bit for bit (weights and metrics)" : "they DIFFER: training is non-deterministic here"))
            }
            for line in ExperimentText.checkLines(experiment.checks) { Output.line(line) }
            if experiment.run["status"]?.stringValue == "failed", let tail = try journal.experimentFile(experiment.id, "results/stderr.txt") {
                // A failed program's last words say why it failed.
                let lines = String(decoding: tail.suffix(4096), as: UTF8.self).split(separator: "\n").suffix(10)
                Output.line("stderr (last \(lines.count) lines):")
                for line in lines { Output.line("  " + line) }
            }
            Output.line("Learning curve:")
            for line in ExperimentText.curveTable(experiment.curves) { Output.line(line) }
        case let .parameterSet(parameters):
            Output.line("params \(parameters.name ?? "") \(parameters.id.hex)")
            let keys = parameters.parameters.values.keys.sorted(by: CanonicalJSON.precedes)
            for line in Output.table(keys.map { [$0, parameters.parameters.values[$0]!.displayText] }) { Output.line(line) }
        }
    }
}
