import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj sweep task`: what each array task of a submitted sweep runs (also usable without Slurm).
struct SweepTask: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one task of a sweep: clone the remote into scratch, train its shard, push its records to its own task ref.",
        discussion: """
        The script xj sweep submit writes runs this in every array task; it needs no journal of its own. The clone lives in <scratch>/xj-sweep-<sweep>-<task>-<pid> and is removed at the end. After every batch of --jobs points the task commits them and moves refs/xj/sweeps/<sweep>/<task> on the remote by compare-and-swap, so a task killed at any moment loses at most the batch it was training, and the same task run again goes on from what it pushed.

        Task 3 of 16, as the array would run it.

        Example:
          xj sweep task --remote /shared/journal.git --sweep s1a2b3c4d5e6 --on main --shard 3/16 -- grid --data digits --model mlp lr=0.1,0.01 seed=1..8
        """
    )

    @Option(help: "The remote's URL (a path or git://, ssh://, https://).")
    var remote: String

    @Option(help: "The sweep's name.")
    var sweep: String

    @Option(name: .customLong("on"), help: ArgumentHelp("The line of inquiry the sweep records on.", valueName: "branch"))
    var line: String

    @Option(help: ArgumentHelp("This task's share: K/N, or auto inside a Slurm job array.", valueName: "K/N|auto"))
    var shard: String

    @Option(help: ArgumentHelp("Scratch folder for the clone (default: $TMPDIR, else /tmp).", valueName: "dir"))
    var scratch: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The sweep: grid --data … --model … key=values.", valueName: "grid …"))
    var command: [String] = []

    func validate() throws {
        try LabJournal.validateSweepName(sweep)
        try RecordNames.validateBranch(line)
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let share = try GridShard(parsing: shard, environment: environment)
        let sweepGrid = try SweepGrid(command)
        let root = scratch ?? environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let prefix = "xj-sweep-\(sweep)-\(share.index)-"
        // A task killed earlier on this node left its clone behind: remove those whose process is gone.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: root + "/" + name)
            }
        }
        let folder = root + "/" + prefix + String(getpid())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = Date()
        let journal = try NetworkRetry.run(onRetry: { attempt, error in
            Output.note("clone failed (\(error)); attempt \(attempt) of \(NetworkRetry.attempts)")
            try? FileManager.default.removeItem(atPath: folder)
        }) { try LabJournal.clone(remote, into: folder) }
        try journal.pinLineOfInquiry(line)
        let runner = SweepTaskRunner(journal: journal, sweep: sweep, shard: share)
        let grid = sweepGrid.grid
        let plan = try GridPlan(assignments: grid.parameters)
        let outcome = try runner.run(dataset: grid.target.data, validation: grid.target.val, model: grid.target.model,
                                     points: try plan.points(random: grid.random, seed: grid.seed), jobs: grid.jobs) { trained, total in
            Output.line("sweep \(sweep) task \(share): \(trained) of \(total) points trained and pushed")
        }
        Output.line("sweep \(sweep) task \(share): \(outcome.shardPoints) points, \(outcome.alreadyRecorded) already recorded, \(outcome.trained) trained, " +
                    "\(outcome.pushes) push\(outcome.pushes == 1 ? "" : "es") to refs/xj/sweeps/\(sweep)/\(share.index) (\(Output.number(Date().timeIntervalSince(started))) s)")
    }
}
