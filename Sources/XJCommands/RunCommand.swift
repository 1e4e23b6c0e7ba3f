import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj run`: run any program and record it as an experiment.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run any program and record it as an experiment: command, inputs, params, output, metrics.",
        discussion: """
        The program gets two environment variables: XJ_PARAMS, the path of the parameters as canonical JSON, and XJ_OUTPUT, a folder it may write metrics.json (a flat object of numbers) and curves.json (an object of equally long arrays) into; any other file it leaves there is recorded too. xj records the argv, the declared --input files by content, the params, the exit status, stdout and stderr, the duration and, with --code, the tree of a folder. These (argv, inputs, params, code) hash to the run key: running the same thing again says "already run" without running it. A program that fails is recorded as failed and runs again next time (--skip-failed counts failures as already run). The experiment is staged; `xj commit` records it.

        Python programs can use xj's client (pip install ./python: xj.params(), xj.log_metric(), xj.log_sklearn(), xj.KerasCallback()): see Docs/Guide.md.

        Examples:
          xj run --param C=1.0 --param penalty=l2 --input data/wine.csv -- python3 train.py data/wine.csv
          xj run --code src --input digits.csv --param max_iter=200 -- python3 src/fit.py
          xj run --json -- ./evaluate.sh
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @OptionGroup var stored: StoredParametersOption

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, typed like `xj add` values (repeatable).", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .customLong("input"), help: ArgumentHelp("A file or folder the program reads, recorded by content (repeatable).", valueName: "path"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("A folder holding the program's code, recorded as a tree and part of the run key.", valueName: "folder"))
    var code: String?

    @Flag(help: "Run even if this run key is already recorded.")
    var force = false

    @Flag(help: "Count a recorded failed run of this run key as already run.")
    var skipFailed = false

    @Flag(help: "Do not show the program's output as it runs (it is still recorded).")
    var quiet = false

    @Flag(help: "Print the result as JSON (the program's stdout then goes to stderr).")
    var json = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The program and its arguments, after `--`.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("no program given: put it after `--`, e.g. xj run -- python3 train.py") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        let values = try stored.merged(journal, try ParameterSet.parse(assignments: parameters, source: "--param").values)
        let request = ProgramRequest(argv: command, parameters: values, inputs: inputs, code: code, force: force, skipFailed: skipFailed)
        let outcome = try ProgramRunner(journal: journal).run(request, echoOutput: quiet ? nil : (json ? 2 : 1), echoErrors: quiet ? nil : 2)
        switch outcome {
        case let .alreadyRun(earlier):
            ExperimentText.reportAlreadyRun(earlier, journal: journal, json: json, nothing: "nothing ran; --force runs it again")
        case let .ran(record, status, problem):
            for skipped in record.run["skipped_output"]?.arrayValue ?? [] {
                Output.note("warning: not recorded: XJ_OUTPUT/\(skipped.stringValue ?? "?")")
            }
            if json {
                var members = record.json.objectValue ?? [:]
                members["outcome"] = problem == nil ? "ran" : "failed"
                Output.json(.object(members))
            } else {
                Output.line("run key     \(record.runKey.hex)")
                Output.line("experiment  \(record.id.hex) (staged\(problem == nil ? "" : ", failed"))")
                Output.line("metrics     \(record.metrics.isEmpty ? "(none written to XJ_OUTPUT/metrics.json)" : ExperimentText.metricSummary(record.metrics))")
            }
            if let problem {
                FileHandle.standardError.write(Data("xj: error: \(problem); recorded as failed experiment \(record.id.short) (staged)\n".utf8))
                throw ExitCode(status != 0 ? status : 1)
            }
        }
    }
}
