import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj sweep submit`: a Slurm job array for a grid, through a shared remote.
struct SweepSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a grid as a Slurm job array whose tasks push to the remote; prints the job id.",
        discussion: """
        The remote must already have this line of inquiry with everything the grid uses (run xj push first); every node must reach it (a bare repository on shared disk, or git://, ssh:// with keys) and run xj (--xj, default: this xj's path). The script is written to .journal/xj/sweeps/<sweep>.sh and shown by --dry-run. The sweep's name is derived from the line, the remote and the grid, so the same command submitted again resumes the same sweep: its tasks skip every point already recorded on the remote.

        Examples:
          xj sweep submit --slurm --tasks 16 -- grid --data digits --model mlp lr=1e-3,1e-2,1e-1 hidden=32,64,128 seed=1..10
          xj sweep submit --slurm --tasks 4 --partition cpu --time 00:30:00 --cpus-per-task 2 --dry-run -- grid --data digits --model linear lr=0.1,0.01
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Flag(help: "Submit to Slurm with sbatch (the scheduler xj knows).")
    var slurm = false

    @Option(help: "The number of array tasks; each trains an equal share of the points.")
    var tasks: Int

    @Option(help: "The remote the tasks clone and push to.")
    var remote = "origin"

    @Option(help: "A name for the sweep (default: derived from the line, remote and grid).")
    var name: String?

    @Option(help: "sbatch --partition.") var partition: String?
    @Option(help: "sbatch --time, e.g. 02:00:00.") var time: String?
    @Option(help: "sbatch --cpus-per-task; the grid's --jobs trains that many points at once.") var cpusPerTask: Int?
    @Option(help: "sbatch --mem, e.g. 4G.") var mem: String?
    @Option(help: ArgumentHelp("Another sbatch option for the script, written --name=value (repeatable).", valueName: "option")) var sbatch: [String] = []
    @Option(help: ArgumentHelp("Node-local scratch for the tasks' clones (default on the node: $TMPDIR, else /tmp).", valueName: "dir")) var scratch: String?
    @Option(help: ArgumentHelp("The xj the nodes run (default: this xj's path).", valueName: "path")) var xj: String?
    @Option(help: ArgumentHelp("Where Slurm writes the tasks' output (default: this folder).", valueName: "dir")) var logDir: String?

    @Flag(help: "Print the script and submit nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The sweep: grid --data … --model … key=values.", valueName: "grid …"))
    var command: [String] = []

    func validate() throws {
        guard slurm else { throw ValidationError("name the scheduler: --slurm (the one xj submits to)") }
        guard (1...10_000).contains(tasks) else { throw ValidationError("--tasks must be between 1 and 10000, got \(tasks)") }
        if let cpusPerTask, !(1...1024).contains(cpusPerTask) { throw ValidationError("--cpus-per-task must be between 1 and 1024, got \(cpusPerTask)") }
        if let name { try LabJournal.validateSweepName(name) }
    }

    /// This process's executable, so the nodes run the same xj.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    func run() throws {
        let sweepGrid = try SweepGrid(command)
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let line = try journal.currentBranch()
        let url = try journal.remoteURL(remote)
        guard let localTip = try journal.head(of: line) else { throw CommandFailure(message: "\(line) has no commit yet: add and commit the data, then xj push \(remote)") }
        // Bad input is refused before anything is fetched or written.
        let points = try sweepGrid.plan(in: journal)
        guard tasks <= points.count else { throw CommandFailure(message: "--tasks \(tasks) is more than the sweep's \(points.count) points") }
        try journal.fetch(remote: remote)
        let remoteTip = try journal.repository.referenceTarget("refs/remotes/\(remote)/\(line)")
        guard let remoteTip, try journal.repository.isAncestor(localTip.object, of: remoteTip) else {
            throw CommandFailure(message: "\(remote) does not have \(line)'s latest commit \(localTip.short), and the tasks clone \(remote): run xj push \(remote) first")
        }
        let recorded = points.filter(\.isKnown).count
        let sweepName = name ?? SweepDefinition.derivedName(line: line, url: url, gridArguments: sweepGrid.arguments)
        var sweep = (try? SweepDefinition.find(sweepName, in: journal)).flatMap { $0.name == sweepName ? $0 : nil }
            ?? SweepDefinition(name: sweepName, remote: remote, url: url, line: line, tasks: tasks, gridArguments: sweepGrid.arguments, points: points.count)
        if sweep.tasks != tasks {
            // Task K of a new count has another share; records of the old shares must be on the line first.
            let pending = try journal.fetchSweeps(remote: remote, sweep: sweep.name)
            if !pending.isEmpty {
                throw CommandFailure(message: "sweep \(sweep.name) ran in \(sweep.tasks) tasks and \(pending.count) of their task refs are not gathered: run xj gather --sweep \(sweep.name) first, or keep --tasks \(sweep.tasks)")
            }
        }
        sweep.tasks = tasks
        sweep.points = points.count
        sweep.gridArguments = sweepGrid.arguments
        let logs = URL(fileURLWithPath: logDir ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let script = try SlurmScript(sweep: sweep, executable: xj ?? Self.ownExecutable(), logDirectory: logs, partition: partition, time: time,
                                     cpusPerTask: cpusPerTask, memory: mem, scratch: scratch, extraOptions: sbatch)
        if dryRun {
            if json { Output.json(.object(["sweep": sweep.json, "script": .string(script.text), "recorded": .number(Double(recorded))])); return }
            Output.line("# sweep \(sweep.name): \(points.count) points (\(recorded) already recorded) in \(tasks) tasks, pushing to \(url)")
            print(script.text, terminator: "")
            return
        }
        let folderExisted = FileManager.default.fileExists(atPath: journal.repository.path + "/xj/sweeps")
        let path = try journal.repository.privateDirectory("sweeps") + "/\(sweep.name).sh"
        guard FileManager.default.createFile(atPath: path, contents: Data(script.text.utf8), attributes: [.posixPermissions: 0o755]) else {
            throw CommandFailure(message: "cannot write the script \(path)")
        }
        let sbatchProgram = ProcessInfo.processInfo.environment["XJ_SBATCH"] ?? "sbatch"
        // A refused submission leaves the journal as it was: no script, no sweeps folder of its own making.
        func forget() {
            try? FileManager.default.removeItem(atPath: path)
            if !folderExisted { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run([sbatchProgram, "--parsable", path], environment: [:], echoOutput: nil, echoErrors: nil)
        } catch {
            forget()
            throw CommandFailure(message: "cannot run \(sbatchProgram) (is Slurm's client installed and on PATH? set XJ_SBATCH to its path)")
        }
        let output = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, let job = output.split(separator: ";").first.map(String.init), !job.isEmpty, job.allSatisfy(\.isNumber) else {
            let reason = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            forget()
            throw CommandFailure(message: "sbatch refused the sweep's script \(path): \(reason)")
        }
        sweep.jobs.append(job)
        try sweep.save(in: journal)
        if json { Output.json(.object(["sweep": sweep.json, "job": .string(job), "script": .string(path)])); return }
        Output.line("submitted sweep \(sweep.name) as job \(job): \(points.count) points (\(recorded) already recorded) in \(tasks) tasks, pushing to \(url)")
        Output.line("watch it with xj sweep status \(sweep.name); bring the results into \(line) with xj gather")
    }
}
