import ArgumentParser
import Foundation
import Journal
import Lab
import Tuning

/// `xj suggest`: the next experiments, learned from everything comparable the journal has run.
struct Suggest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Suggest the next points of a search, learned by a Gaussian process from every comparable run the journal recorded.",
        discussion: """
        Ranges: lo..hi (whole numbers), lo..hi:log, lo:hi, lo:hi:log, or a list a,b,c (categories); key=value holds a parameter fixed. Comparable runs are those on the same dataset object with the same model and trainer version and the same fixed values, on any line of inquiry, remote-tracking ref or the stage; failed and diverged runs count as the worst result. The first 10 points are random (the start-up), then a Gaussian process (a Matérn-5/2 kernel with one length scale per parameter) is fitted to the losses and each point is the one of largest expected improvement; a batch counts its pending points as the model's prediction (the kriging believer) so its points differ. A point whose run key is already recorded is never suggested. --from-similar K starts a new search from the best runs of the K datasets most like this one (meta-features from the manifests: rows, features, task, classes, categorical/constant/missing shares, spread), while fewer than 10 comparable runs exist. --run trains the batch and commits it like xj grid. With --for 'xj run [--input F] [--code D] -- program …' the search is over a recorded program's parameters: comparable runs have the same command, input files and code, and the same parameter keys.

        Examples:
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log hidden=16..512:log dropout=0:0.6 optimizer=adam,sgd epochs=10 -n 4
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log hidden=16..512:log epochs=10 -n 4 --run --jobs 2
          xj suggest --data digits --model mlp lr=1e-4:1e-1:log epochs=10 --metric val_accuracy --maximize --json
          xj suggest --data wine --model mlp lr=1e-4:1e-1:log hidden=16..512:log --from-similar 2   # warm start from similar datasets' best runs
          xj suggest --for 'xj run --input data.csv -- python3 train.py' --param C=1e-3:1e3:log --metric val_accuracy --maximize --run
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Option(help: "The dataset to train on (a name, or an id prefix).")
    var data: String?

    @Option(help: "A separate validation dataset (default: a stratified split of --data).")
    var val: String?

    @Option(help: "linear or mlp.")
    var model: String = "mlp"

    @Option(name: .customLong("for"), help: ArgumentHelp("Suggest parameters for a program recorded by xj run instead of the built-in trainer, e.g. 'xj run --input data.csv -- python3 train.py'.", valueName: "command"))
    var program: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A range, list or fixed value (repeatable; the same as a key=range argument).", valueName: "key=range"))
    var more: [String] = []

    @Option(name: .short, help: "How many points to suggest.")
    var n: Int = 1

    @Option(help: "The metric to optimise (minimised unless --maximize).")
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
        if (data == nil) == (program == nil) { throw ValidationError("give --data (the built-in trainer) or --for 'xj run … -- program' (a recorded program), one of them") }
        if let program {
            _ = try Self.programRequest(program)
            if val != nil || fromSimilar != nil { throw ValidationError("--val and --from-similar are for the built-in trainer, not --for") }
            if jobs != 1 { throw ValidationError("--jobs is for the built-in trainer; --for runs one program at a time") }
        }
        if let fromSimilar, fromSimilar < 1 || fromSimilar > 100 { throw ValidationError("--from-similar takes 1 to 100 datasets, got \(fromSimilar)") }
        if jobs != 1 && !trainThem { throw ValidationError("--jobs applies only with --run") }
    }

    /// `--for 'xj run [--input F]… [--code D] -- program args'`: the words of an `xj run` command line.
    static func programRequest(_ text: String) throws -> ProgramRequest {
        var words: [String] = [], word = "", quote: Character? = nil, started = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                started = true
            } else if character.isWhitespace {
                if started || !word.isEmpty { words.append(word); word = ""; started = false }
            } else {
                word.append(character)
            }
        }
        guard quote == nil else { throw ValidationError("--for: a quote is not closed in \(text.debugDescription)") }
        if started || !word.isEmpty { words.append(word) }
        guard words.count >= 2, words[0] == "xj", words[1] == "run" else { throw ValidationError("--for takes an xj run command line, e.g. 'xj run --input data.csv -- python3 train.py'") }
        var inputs: [String] = [], code: String?, index = 2
        while index < words.count, words[index] != "--" {
            switch words[index] {
            case "--input" where index + 1 < words.count: inputs.append(words[index + 1]); index += 2
            case "--code" where index + 1 < words.count: code = words[index + 1]; index += 2
            default: throw ValidationError("--for: `\(words[index])` is not an option of the recorded run here (--input, --code, then -- and the program)")
            }
        }
        guard index + 1 < words.count else { throw ValidationError("--for: put the program after `--`, e.g. 'xj run -- python3 train.py'") }
        return ProgramRequest(argv: Array(words[(index + 1)...]), inputs: inputs, code: code)
    }

    static func json(_ suggestion: Suggester.Suggestion) -> JSONValue {
        var members: [String: JSONValue] = ["params": .object(suggestion.parameters), "run_key": .string(suggestion.runKey.hex)]
        if let p = suggestion.prediction {
            members["prediction"] = ["value": .number(p.loss), "low": .number(p.low), "high": .number(p.high),
                                     "probability_of_improvement": .number(p.probabilityOfImprovement), "expected_improvement": .number(p.expectedImprovement)]
        }
        return .object(members)
    }

    /// Why a point was chosen: the model's prediction with its 90 % interval, the chance to beat the best
    /// run, and the expected improvement over it.
    static func predictionHeader(_ metric: String) -> [String] { ["predicted \(metric) (90%)", "P(better)", "expected gain"] }

    static func predictionCells(_ prediction: LossPrediction?) -> [String] {
        guard let p = prediction else { return ["-", "-", "-"] }
        return ["\(Output.number4(p.loss)) (\(Output.number4(p.low))–\(Output.number4(p.high)))",
                Self.percent(p.probabilityOfImprovement), Output.number4(p.expectedImprovement)]
    }

    /// A probability as a whole percentage that never rounds to a certainty it is not.
    static func percent(_ p: Double) -> String {
        if p > 0 && p < 0.005 { return "<1%" }
        if p < 1 && p > 0.995 { return ">99%" }
        return "\(Int((p * 100).rounded()))%"
    }

    /// One line on stderr when runs were just made and none recorded the metric being searched: each
    /// then counts as a failed run, and the search learns nothing from it.
    static func noteMissingMetric(_ metric: String, in recorded: [[String: JSONValue]], hint: String) {
        guard !recorded.isEmpty, !recorded.contains(where: { $0[metric]?.numberValue != nil }) else { return }
        let names = Set(recorded.flatMap(\.keys)).sorted()
        let what = recorded.count == 1 ? "the run just made recorded no `\(metric)`, so it counts as a failed run"
            : "none of the \(recorded.count) runs just made recorded `\(metric)`, so they count as failed runs"
        Output.note("warning: \(what) in the search; "
                    + (names.isEmpty ? "no metric was recorded at all" : "recorded: " + names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : ""))
                    + " (\(hint))")
    }

    func suggestForProgram(_ journal: LabJournal, search: Suggester.Search, command: String) throws {
        let request = try Self.programRequest(command)
        let outcome = try Suggester(journal: journal).suggest(search, program: request, metric: metric, maximize: maximize, count: n, seed: seed)
        // One per suggestion, in order: nil where nothing ran (another process recorded the run key first).
        var ranFor: [ExperimentRecord?] = []
        var ran: [ExperimentRecord] = []
        var commit: JournalRecord?
        if trainThem {
            let interrupt = Interruption.install("interrupted: every finished run is staged; xj commit records them")
            defer { interrupt.cancel() }
            for suggestion in outcome.suggestions {
                var each = request
                each.parameters = suggestion.parameters
                if case let .ran(record, _, _) = try ProgramRunner(journal: journal).run(each, echoOutput: json ? nil : 2, echoErrors: json ? nil : 2) {
                    ranFor.append(record)
                } else {
                    ranFor.append(nil)
                }
            }
            ran = ranFor.compactMap { $0 }
            let paths = Set(ran.map { JournalLayout.experimentPath(runKey: $0.runKey.hex, experiment: $0.id.hex) })
            if !paths.isEmpty { commit = try journal.commit(message: "suggest for \(request.argv.joined(separator: " ")): \(ran.count) runs by \(outcome.method)", only: paths) }
            Self.noteMissingMetric(metric, in: ran.map(\.metrics),
                                   hint: "a program writes its metrics as a JSON object to $XJ_OUTPUT/metrics.json")
        }
        let keys = search.dimensions.map(\.0)
        if json {
            var members: [String: JSONValue] = [
                "method": .string(outcome.method), "comparable_runs": .number(Double(outcome.comparable)), "other_runs": .number(Double(outcome.excluded)),
                "metric": .string(metric), "maximize": .bool(maximize), "command": .array(request.argv.map(JSONValue.string)),
                "suggestions": .array(outcome.suggestions.map(Self.json)),
            ]
            if let best = outcome.best { members["best"] = ["experiment": .string(best.experiment), "value": .number(best.value)] }
            if !ran.isEmpty { members["ran"] = .array(ran.map { ["experiment": .string($0.id.hex), "metrics": .object($0.metrics)] }) }
            if let commit { members["commit"] = .string(commit.commit.id.hex) }
            Output.json(.object(members))
            return
        }
        let bestText = outcome.best.map { "; best \(metric) \(Output.number4($0.value)) (experiment \($0.experiment.prefix(7)))" } ?? ""
        Output.line("learned from \(outcome.comparable) comparable run\(outcome.comparable == 1 ? "" : "s") of `\(request.argv.joined(separator: " "))`\(bestText); method: \(outcome.method)")
        let predicted = outcome.suggestions.contains { $0.prediction != nil }
        var rows = [keys + ["run key"] + (predicted ? Self.predictionHeader(metric) : []) + (ran.isEmpty ? [] : [metric, "experiment"])]
        for (index, suggestion) in outcome.suggestions.enumerated() {
            var row = keys.map { Grid.shown(suggestion.parameters[$0]) } + [suggestion.runKey.short] + (predicted ? Self.predictionCells(suggestion.prediction) : [])
            if index < ranFor.count {
                row += ranFor[index].map { [$0.metrics[metric]?.numberValue.map(Output.number4) ?? "-", $0.id.short] } ?? ["-", "already run"]
            }
            rows.append(row)
        }
        for line in Output.table(rows) { Output.line(line) }
        if let commit { Output.line("[\(try journal.currentBranch()) \(commit.commit.id.short)] \(ran.count) experiment\(ran.count == 1 ? "" : "s") committed") }
    }

    func run() throws {
        // Most often --maximize given without --metric: the search would seek the worst runs.
        if maximize && (metric == "loss" || metric.hasSuffix("_loss")) {
            throw LabError.invalidParameter(key: "--maximize", message: "with --metric \(metric) it would search for the worst runs; name the metric to maximise, e.g. --metric val_accuracy --maximize")
        }
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        let search = try Suggester.search(parameters + more)
        if let program { return try suggestForProgram(journal, search: search, command: program) }
        let data = data!
        let outcome = try Suggester(journal: journal).suggest(search, dataset: data, validation: val, model: model,
                                                              metric: metric, maximize: maximize, count: n, seed: seed, fromSimilar: fromSimilar)
        let keys = search.dimensions.map(\.0)
        var trained: [GridPoint] = []
        var commit: JournalRecord?
        if trainThem && !outcome.suggestions.isEmpty {
            let runner = GridRunner(journal: journal)
            let points = try runner.plan(dataset: data, validation: val, model: model, points: outcome.suggestions.map(\.parameters))
            let bar = json ? nil : ProgressBar(total: points.count)
            bar?.start(status: "\(points.count) suggested point\(points.count == 1 ? "" : "s") to train")
            let interrupt = Interruption.install("interrupted: every finished point is staged; xj commit records them")
            defer { interrupt.cancel() }
            trained = try runner.run(points, dataset: data, validation: val, model: model, jobs: jobs) { done, _ in bar?.update(done, status: "") }
            bar?.finish()
            Self.noteMissingMetric(metric, in: trained.compactMap { $0.trained?.metrics },
                                   hint: "xj show EXPERIMENT lists what a run records")
            let stage = JournalLayout.stageReference(try journal.currentBranch())
            let own = Set(trained.flatMap { $0.stagedPaths(stage: stage) })
            if !own.isEmpty {
                commit = try journal.commit(message: "suggest \(model) on \(data): \(trained.count) points by \(outcome.method); " + parameters.joined(separator: " "), only: own)
            }
        }
        if json {
            var members: [String: JSONValue] = [
                "method": .string(outcome.method), "comparable_runs": .number(Double(outcome.comparable)), "other_runs": .number(Double(outcome.excluded)),
                "metric": .string(metric), "maximize": .bool(maximize),
                "suggestions": .array(outcome.suggestions.map(Self.json)),
            ]
            if let best = outcome.best { members["best"] = ["experiment": .string(best.experiment), "value": .number(best.value)] }
            if !outcome.borrowed.isEmpty || fromSimilar != nil {
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
        } else if fromSimilar != nil {
            // Asked for and not used: say why, rather than leave the user to think it was.
            Output.line("--from-similar borrowed nothing: " + (outcome.comparable >= Suggester.startupTrials
                ? "\(outcome.comparable) comparable runs here already, so the Gaussian process needs no start"
                : "no other dataset has runs of --model \(model) recording \(metric) with every searched parameter"))
        }
        if outcome.suggestions.count < n { Output.line("only \(outcome.suggestions.count) new point\(outcome.suggestions.count == 1 ? "" : "s") found: the rest of the space is already run") }
        let predicted = outcome.suggestions.contains { $0.prediction != nil }
        var rows = [keys + ["run key"] + (predicted ? Self.predictionHeader(metric) : []) + (trained.isEmpty ? [] : [metric, "experiment"])]
        for (index, suggestion) in outcome.suggestions.enumerated() {
            var row = keys.map { Grid.shown(suggestion.parameters[$0]) } + [suggestion.runKey.short] + (predicted ? Self.predictionCells(suggestion.prediction) : [])
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
