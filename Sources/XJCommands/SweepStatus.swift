import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj sweep status`: how far a submitted sweep has got, from the remote's records and Slurm's queue.
struct SweepStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each task of a sweep: its points, how many the remote has recorded, and its state in Slurm's queue.",
        discussion: """
        The count of recorded points comes from the remote (its task refs and the line itself), so it is right whatever Slurm says; a task that left the queue with points missing is "ended, N missing": submit the same sweep again and only those run.

        Examples:
          xj sweep status              # the sweep submitted last
          xj sweep status 4242         # by job id, or by the sweep's name
          xj sweep status --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The sweep's name or a Slurm job id of it (default: the last submitted).", valueName: "sweep|job"))
    var sweep: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    /// Array task → state for the sweep's jobs still in Slurm's queue (`squeue -r`); empty when squeue is not there.
    static func queuedStates(jobs: [String]) -> [Int: String] {
        guard !jobs.isEmpty else { return [:] }
        let squeue = ProcessInfo.processInfo.environment["XJ_SQUEUE"] ?? "squeue"
        guard let result = try? ChildProcess.run([squeue, "-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%i %T"], environment: [:],
                                                 echoOutput: nil, echoErrors: nil), result.status == 0 else { return [:] }
        var states: [Int: String] = [:]
        for line in String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let underscore = fields[0].lastIndex(of: "_"), let task = Int(fields[0][fields[0].index(after: underscore)...]) else { continue }
            states[task] = fields[1].lowercased()
        }
        return states
    }

    func run() throws {
        let journal = try global.openJournal()
        let definition = try SweepDefinition.find(sweep, in: journal)
        let sweepGrid = try SweepGrid(["grid"] + definition.gridArguments)
        try journal.fetch(remote: definition.remote)
        let taskRefs = try journal.fetchSweeps(remote: definition.remote, sweep: definition.name)
        try journal.pinLineOfInquiry(definition.line)
        let points = try sweepGrid.plan(in: journal)
        let queued = Self.queuedStates(jobs: definition.jobs)
        var rows: [[String]] = [["task", "points", "recorded", "state"]]
        var listed: [JSONValue] = []
        var recordedTotal = 0
        for task in 1...definition.tasks {
            let share = try GridShard(index: task, count: definition.tasks).select(points)
            let recorded = share.filter(\.isKnown).count
            recordedTotal += recorded
            let state = queued[task] ?? (recorded == share.count ? "done" : "ended, \(share.count - recorded) missing")
            rows.append([String(task), String(share.count), String(recorded), state])
            listed.append(.object(["task": .number(Double(task)), "points": .number(Double(share.count)), "recorded": .number(Double(recorded)),
                                   "state": .string(state), "pushed": .bool(taskRefs.contains { $0.task == task })]))
        }
        if json {
            Output.json(.object(["sweep": definition.json, "recorded": .number(Double(recordedTotal)), "tasks": .array(listed),
                                 "task_refs": .number(Double(taskRefs.count))]))
            return
        }
        Output.line("sweep \(definition.name) on \(definition.line) (job\(definition.jobs.count == 1 ? "" : "s") \(definition.jobs.joined(separator: ", "))): " +
                    "\(recordedTotal) of \(points.count) points recorded on \(definition.remote), \(taskRefs.count) task ref\(taskRefs.count == 1 ? "" : "s") to gather")
        for line in Output.table(rows) { Output.line(line) }
        let missing = points.count - recordedTotal
        if missing > 0 && queued.isEmpty {
            Output.line("\(missing) point\(missing == 1 ? "" : "s") missing and nothing queued: submit the same sweep again to run only those")
        } else if missing == 0 && !taskRefs.isEmpty {
            Output.line("every point is recorded: xj gather brings them into \(definition.line)")
        }
    }
}
