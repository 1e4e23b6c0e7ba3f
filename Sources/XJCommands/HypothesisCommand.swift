import ArgumentParser
import Journal
import Lab

/// `xj hypothesis`: state a hypothesis on its own line of inquiry, or show one.
struct HypothesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hypothesis",
        abstract: "State a hypothesis with machine-checkable predictions, or show the current one.",
        subcommands: [New.self, ShowHypothesis.self],
        defaultSubcommand: ShowHypothesis.self
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Start hypothesis/NAME from the current branch with the statement and predictions, and switch to it.",
            discussion: """
            A prediction is AGG(metric | key=value, …) OP AGG(metric | key=value, …) [+ or - margin], or AGG(metric | …) OP number, with AGG one of mean, median, iqm, min, max, std and OP one of <, <=, >, >=; or prob(metric | A < B) OP p, the probability that a run of group A has a lower metric than a run of group B (A and B are selectors). Selectors pick experiments by their parameters, and by dataset (a name or id prefix), model and status (only runs that finished normally count unless status is pinned). Pin what the hypothesis holds fixed: a group that pools experiments differing in something unpinned is judged AMBIGUOUS. Metric and parameter names are checked now, against what the trainer and this line's experiments record.

            Example:
              xj hypothesis new dropout-helps \\
                 "Dropout regularises: with dropout 0.5 the validation loss is lower than without" \\
                 --predict "mean(val_loss | dropout=0.5, hidden=256) < mean(val_loss | dropout=0, hidden=256)" \\
                 --predict "mean(val_accuracy | dropout=0.5, hidden=256) >= mean(val_accuracy | dropout=0, hidden=256) - 0.01"
              xj hypothesis new wide-wins "Wider nets win most seeds" --sequential \\
                 --predict "prob(val_loss | hidden=256 < hidden=32) > 0.75"

            --sequential states in advance that the hypothesis will be judged again as runs are added (e.g. by xj grid --until-decided): its verdicts use an always-valid sequential t-test and say "can stop: supported", "keep going" or "can stop: falsified".
            """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The hypothesis's name (its branch is hypothesis/NAME).")
        var name: String

        @Argument(help: "What you expect, in words.")
        var statement: String

        @Option(help: "A machine-checkable prediction (repeat for several).")
        var predict: [String] = []

        @Flag(help: "Judge with an always-valid sequential test, so the hypothesis may be judged after every batch of runs.")
        var sequential = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() throws {
            let journal = try global.openJournal()
            // Names are checked against what this line's experiments and the trainer record, before anything is written.
            let experiments = try journal.workingState().map { try journal.experimentsForVerdict(in: $0) } ?? []
            try PredictionVocabulary(experiments: experiments).check(try predict.map(PredictionParser.parse))
            let (branch, record) = try journal.createHypothesis(name: name, statement: statement, predictions: predict, sequential: sequential)
            if json {
                Output.json(["branch": .string(branch), "commit": .string(record.commit.id.hex)])
            } else {
                Output.line("Stated hypothesis \(name) on \(branch) (\(record.commit.id.short)) with \(predict.count) prediction\(predict.count == 1 ? "" : "s"); switched to it.")
                Output.line("Run experiments here, then `xj verdict`.")
            }
        }
    }

    struct ShowHypothesis: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the hypothesis of a line of inquiry (default: the current one).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A branch (default: the current one).")
        var branch: String?

        @Flag(help: "Judge with an always-valid sequential test, so the hypothesis may be judged after every batch of runs.")
        var sequential = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() throws {
            let journal = try global.openJournal()
            let name = try branch ?? journal.currentBranch()
            guard let hypothesis = try journal.hypothesis(onBranch: name) else { throw JournalError.noHypothesis(branch: name) }
            if json {
                Output.json(["name": .string(hypothesis.name), "statement": .string(hypothesis.statement), "status": .string(hypothesis.status),
                             "predictions": .array(hypothesis.predictions.map(\.json))])
                return
            }
            Output.line(hypothesis.statement.trimmingCharacters(in: .whitespacesAndNewlines))
            Output.line("status: \(hypothesis.status)")
        }
    }
}
