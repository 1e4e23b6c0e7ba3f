import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj suggest`: the next experiments, learned from everything comparable the journal has run.
struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suggest the next points of a search, learned by TPE from every comparable run the journal recorded.",
        discussion: """
        Ranges: lo..hi (whole numbers), lo..hi:log, lo:hi, lo:hi:log, or a list a,b,c (categories); key=value holds a parameter fixed. Comparable runs are those on the same dataset object with the same model and trainer version and the same fixed values, on any line of inquiry, remote-tracking ref or the stage; failed and diverged runs count as the worst result. The first 10 points are random (TPE's start-up), then each point is the best of 24 candidates by l(x)/g(x) (Optuna's defaults); a batch uses a constant liar so its points differ. A point whose run key is already recorded is never suggested. --from-similar K starts a new search from the best runs of the K datasets most like this one (meta-features from the manifests: rows, features, task, classes, categorical/constant/missing shares, spread), while fewer than 10 comparable runs exist. --run trains the batch and commits it like xj grid.

        Examples:
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log hidden=16..512:log dropout=0:0.6 optimizer=adam,sgd epochs=10 -n 4
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log hidden=16..512:log epochs=10 -n 4 --run --jobs 2
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log epochs=10 --metric val_accuracy --maximize --json
          xj suggest --data wine --model mlp lr=1e-4:1e-1:log hidden=16..512:log --from-similar 2   # warm start from similar datasets' best runs
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @OptionGroup var target: TrainingTargetOptions

    @Option(name: .short, help: "How many points to suggest.")
    var n: Int = 1

    @Option(help: "The metric to optimise (default: val_loss, minimised).")
    var metric: String = "val_loss"

    @Flag(help: "Maximise the metric instead of minimising it.")
    var maximize = false

    @Option(help: "The suggestion's seed (with the journal's history, it fixes the points).")
    var seed: UInt64 = 0

    @Option(name: .customLong("from-similar"), help: ArgumentHelp("Start from the best runs of the K most similar datasets in the journal (while fewer than 10 comparable runs exist).", valueName: "K"))
    var fromSimilar: Int?

    @Flag(name: .customLong("run"), help: "Train the suggested points and commit them.")
    var trainThem = false

    @Option(help: "With --run: train this many points at once.")
    var jobs: Int = 1

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("Ranges, lists and fixed values.", valueName: "key=range"))
    var parameters: [String] = []

    func validate() throws {
        guard n >= 1 && n <= 1000 else { throw ValidationError("-n must be between 1 and 1000, got \(n)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if let fromSimilar, fromSimilar < 1 || fromSimilar > 100 { throw ValidationError("--from-similar takes 1 to 100 datasets, got \(fromSimilar)") }
        if jobs != 1 && !trainThem { throw ValidationError("--jobs applies only with --run") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        let search = try Suggester.search(parameters)
        let outcome = try Suggester(journal: journal).suggest(search, dataset: target.data, validation: target.val, model: target.model,
                                                              metric: metric, maximize: maximize, count: n, seed: seed, fromSimilar: fromSimilar)
        let keys = search.dimensions.map(\.0)
        var trained: [GridPoint] = []
        var commit: JournalRecord?
        if trainThem && !outcome.suggestions.isEmpty {
            let runner = GridRunner(journal: journal)
            let points = try runner.plan(dataset: target.data, validation: target.val, model: target.model, points: outcome.suggestions.map(\.parameters))
            let bar = json ? nil : ProgressBar(total: points.count)
            bar?.start(status: "\(points.count) suggested point\(points.count == 1 ? "" : "s") to train")
            let interrupt = Interruption.install("interrupted: every finished point is staged; xj commit records them")
            defer { interrupt.cancel() }
            trained = try runner.run(points, dataset: target.data, validation: target.val, model: target.model, jobs: jobs) { done, _ in bar?.update(done, status: "") }
            bar?.finish()
            let stage = JournalLayout.stageReference(try journal.currentBranch())
            let own = Set(trained.flatMap { $0.stagedPaths(stage: stage) })
            if !own.isEmpty {
                commit = try journal.commit(message: "suggest \(target.model) on \(target.data): \(trained.count) points by \(outcome.method); " + parameters.joined(separator: " "), only: own)
            }
        }
        if json {
            var members: [String: JSONValue] = [
                "method": .string(outcome.method), "comparable_runs": .number(Double(outcome.comparable)), "other_runs": .number(Double(outcome.excluded)),
                "metric": .string(metric), "maximize": .bool(maximize),
                "suggestions": .array(outcome.suggestions.map { ["params": .object($0.parameters), "run_key": .string($0.runKey.hex)] }),
            ]
            if let best = outcome.best { members["best"] = ["experiment": .string(best.experiment), "value": .number(best.value)] }
            if !outcome.borrowed.isEmpty {
                members["similar_datasets"] = .array(outcome.borrowed.map { ["dataset": .string($0.name), "similarity": .number($0.similarity), "runs": .number(Double($0.runs))] })
            }
            if !trained.isEmpty { members["trained"] = .array(trained.map(\.json)) }
            if let commit { members["commit"] = .string(commit.commit.id.hex) }
            Output.json(.object(members))
            return
        }
        let bestText = outcome.best.map { "; best \(metric) \(Output.number4($0.value)) (experiment \($0.experiment.prefix(7)))" } ?? ""
        Output.line("learned from \(outcome.comparable) comparable run\(outcome.comparable == 1 ? "" : "s")\(bestText); \(outcome.excluded) other run\(outcome.excluded == 1 ? "" : "s") not comparable; method: \(outcome.method)")
        if !outcome.borrowed.isEmpty {
            Output.line("starting from the best runs of " + outcome.borrowed.map { "\($0.name) (similarity \(String(format: "%.2f", $0.similarity)), \($0.runs) runs)" }.joined(separator: ", "))
        }
        if outcome.suggestions.count < n { Output.line("only \(outcome.suggestions.count) new point\(outcome.suggestions.count == 1 ? "" : "s") found: the rest of the space is already run") }
        var rows = [keys + ["run key"] + (trained.isEmpty ? [] : [metric, "experiment"])]
        for (index, suggestion) in outcome.suggestions.enumerated() {
            var row = keys.map { Grid.shown(suggestion.parameters[$0]) } + [suggestion.runKey.short]
            if index < trained.count, let record = trained[index].trained {
                row += [record.metrics[metric]?.numberValue.map(Output.number4) ?? "-", record.id.short]
            }
            rows.append(row)
        }
        for line in Output.table(rows) { Output.line(line) }
        if let commit { Output.line("[\(try journal.currentBranch()) \(commit.commit.id.short)] \(trained.count) experiment\(trained.count == 1 ? "" : "s") committed") }
        else if !trainThem { Output.line("xj suggest … --run trains them") }
    }
}
