import Foundation
import Journal
import JournalStore

/// Runs `xj run`: any program, recorded like a training run. The run key is the tree of its argv,
/// parameters, declared input files and code; the program gets `XJ_PARAMS` and `XJ_OUTPUT`.
public struct ProgramRunner {
    public let journal: LabJournal

    /// The runner's identity in the inputs tree, so a program run never shares a key with `xj train`.
    public static let runnerJSON: JSONValue = ["name": "xj-run", "version": 1]

    public init(journal: LabJournal) {
        self.journal = journal
    }

    /// The ids of a request's inputs other than its parameters (command, runner, files, code), hashed
    /// without writing: two runs with equal ones differ only in their parameters.
    public func fixedInputs(_ request: ProgramRequest) throws -> [String: ObjectID] {
        Dictionary(try inputEntries(request, write: false).filter { $0.name != "params.json" }.map { ($0.name, $0.id) }) { first, _ in first }
    }

    /// The run key of a request, computed without writing anything.
    public func runKey(_ request: ProgramRequest) throws -> TreeID {
        try journal.repository.hashTree(try inputEntries(request, write: false))
    }

    /// Runs the program unless its run key is already recorded as a successful run, then stages the experiment.
    /// - Parameters:
    ///   - echoOutput, echoErrors: where the program's output is shown as it runs (nil: not shown).
    public func run(_ request: ProgramRequest, echoOutput: Int32? = 1, echoErrors: Int32? = 2) throws -> ProgramOutcome {
        guard !request.argv.isEmpty else { throw LabError.invalidData("no program given: put it after `--`, e.g. xj run -- python3 train.py") }
        try Self.findProgram(request.argv[0])
        let key = try runKey(request)
        if !request.force {
            let known = try RunIndex(journal: journal).recordedExperiments(runKey: key.object)
            let counted = try known.filter { entry in
                try request.skipFailed || journal.experiment(TreeID(entry.experiment)).run["status"]?.stringValue != "failed"
            }
            if !counted.isEmpty { return .alreadyRun(counted) }
        }
        // The inputs are written before the program starts, so what is recorded is what it read.
        let inputs = try journal.repository.writeTree(try inputEntries(request, write: true))

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xj-run-\(UUID().uuidString)").path
        let output = scratch + "/output"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let heldOutput = try HeldFolder(path: output)
        let paramsPath = scratch + "/params.json"
        try Data(CanonicalJSON.bytes(.object(request.parameters))).write(to: URL(fileURLWithPath: paramsPath))

        let started = Date()
        let result = try ChildProcess.run(request.argv, environment: ["XJ_PARAMS": paramsPath, "XJ_OUTPUT": output, "XJ_RUN_KEY": key.hex],
                                          echoOutput: echoOutput, echoErrors: echoErrors, directory: request.directory)
        // Read without following any symbolic link: the program decides what is in the folder, not what xj reads.
        var snapshot = OutputSnapshot()
        var outputProblem: String?
        do { snapshot = try journal.snapshotOutput(heldOutput, parsed: ProgramOutput.parsedNames) } catch {
            outputProblem = "\(error)"
        }
        let produced = ProgramOutput(files: snapshot.parsed)
        var problem: String?
        if let signal = result.signal {
            problem = "`\(request.argv[0])` was killed by signal \(signal)"
        } else if result.status != 0 {
            problem = "`\(request.argv[0])` exited with status \(result.status)"
        } else {
            problem = outputProblem ?? produced.problem
        }

        let repository = journal.repository
        var results: [TreeEntry] = [
            .blob("metrics.json", try repository.writeBlob(CanonicalJSON.bytes(.object(produced.metrics)))),
            .blob("stdout.txt", try repository.writeBlob(result.stdout)),
            .blob("stderr.txt", try repository.writeBlob(result.stderr)),
        ]
        if let curves = produced.curves { results.append(.blob("curves.json", try repository.writeBlob(CanonicalJSON.bytes(.object(curves))))) }
        if let reported = produced.reportedParams { results.append(.blob("params.json", try repository.writeBlob(CanonicalJSON.bytes(.object(reported))))) }
        if let tree = snapshot.tree { results.append(tree) }

        var run = RunTimestamp.runFields(started: started)
        run["status"] = .string(problem == nil ? "ok" : "failed")
        run["exit_status"] = .number(Double(result.status))
        if let signal = result.signal { run["signal"] = .number(Double(signal)) }
        if let problem { run["error"] = .string(problem) }
        if !snapshot.skipped.isEmpty { run["skipped_output"] = .array(snapshot.skipped.map(JSONValue.string)) }
        let experiment = try repository.writeTree([
            .tree("inputs", inputs), .tree("results", try repository.writeTree(results)),
            .blob("run.json", try repository.writeBlob(CanonicalJSON.bytes(.object(run)))),
        ])
        let path = JournalLayout.experimentPath(runKey: inputs.hex, experiment: experiment.hex)
        try journal.stage([path: .tree(experiment.hex, experiment)], note: "experiment \(experiment.short)")
        return .ran(try journal.experiment(experiment), exitStatus: result.status, problem: problem)
    }

    /// Refuses a program that cannot be started before anything is written.
    static func findProgram(_ program: String) throws {
        let candidates = program.contains("/") ? [program]
            : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(program)" }
        guard candidates.contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw LabError.invalidData("cannot start `\(program)`: " + (program.contains("/") ? "no executable file there" : "not found on PATH"))
        }
    }

    /// The inputs tree: command.json (argv), params.json, runner.json, files/ (declared inputs by
    /// content, named by their file names) and code/ (the --code folder).
    private func inputEntries(_ request: ProgramRequest, write: Bool) throws -> [TreeEntry] {
        let repository = journal.repository
        func blob(_ value: JSONValue) throws -> BlobID {
            let bytes = CanonicalJSON.bytes(value)
            return write ? try repository.writeBlob(bytes) : try repository.hashBlob(bytes)
        }
        var entries: [TreeEntry] = [
            .blob("command.json", try blob(["argv": .array(request.argv.map(JSONValue.string))])),
            .blob("params.json", try blob(.object(request.parameters))),
            .blob("runner.json", try blob(Self.runnerJSON)),
        ]
        var files: [String: TreeEntry] = [:]
        for path in request.inputs {
            let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            guard files[name] == nil else { throw LabError.invalidData("--input \(path): another input is also named `\(name)`; inputs are recorded by file name") }
            files[name] = try journal.snapshot(path, named: name, write: write)
        }
        if !files.isEmpty {
            let tree = Array(files.values)
            entries.append(.tree("files", write ? try repository.writeTree(tree) : try repository.hashTree(tree)))
        }
        if let code = request.code {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: code, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw JournalError.unreadable(path: code, reason: "--code needs a folder")
            }
            entries.append(try journal.snapshot(code, named: "code", write: write))
        }
        return entries
    }
}
