import Foundation
import Testing
import XJTestSupport

/// Cluster sweeps on a real one-node Slurm cluster (issue 19): job arrays whose tasks push to their
/// own refs on one remote, `xj gather`, a killed task resubmitted, two sweeps at once, over a bare
/// path and over `git daemon`. Each test starts its own cluster and stops it by the daemons' PIDs.
@Suite(.serialized) struct SlurmSweepTests {
    /// A digits journal in `folder/lab`, pushed to `url`.
    func makeLab(_ folder: String, url: String) throws -> String {
        let lab = folder + "/lab"
        try FileManager.default.createDirectory(atPath: lab, withIntermediateDirectories: true)
        try makeDigitsJournal(in: lab)
        #expect(try BuiltBinary.xj(["remote", "add", "origin", url], in: lab).status == 0)
        let pushed = try BuiltBinary.xj(["push"], in: lab)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        return lab
    }

    func submit(_ cluster: SlurmCluster, lab: String, tasks: Int, grid: [String]) throws -> String {
        let submitted = try cluster.run(BuiltBinary.xjPath, ["sweep", "submit", "--slurm", "--tasks", String(tasks), "--cpus-per-task", "1",
                                                             "--log-dir", lab, "--json", "--", "grid"] + grid, in: lab)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        let job = submitted.stdout.components(separatedBy: "\"job\": \"").dropFirst().first?.prefix { $0 != "\"" }
        return job.map(String.init) ?? ""
    }

    func taskLog(_ lab: String, job: String, task: Int) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: lab)) ?? []
        guard let name = names.first(where: { $0.hasSuffix("-\(job)_\(task).out") }) else { return "" }
        return (try? String(contentsOfFile: lab + "/" + name, encoding: .utf8)) ?? ""
    }

    @Test func sixteenTasksThroughABarePathRecordEveryPointOnce() throws {
        try withScratchDirectory { folder in
            let cluster = try SlurmCluster(folder: folder + "/slurm")
            defer { cluster.stop() }
            let remote = SweepRemote(gitDirectory: folder + "/remote.git")
            let lab = try makeLab(folder, url: remote.gitDirectory)
            let grid = ["--data", "digits", "--model", "linear", "lr=0.3,0.1,0.03,0.01", "seed=1..16", "epochs=1"]
            let job = try submit(cluster, lab: lab, tasks: 16, grid: grid)
            #expect(cluster.waitUntilIdle(timeout: 600))
            let status = try cluster.run(BuiltBinary.xjPath, ["sweep", "status"], in: lab)
            #expect(status.stdout.contains("64 of 64 points recorded on origin, 16 task refs to gather"), "\(status.stdout)\(status.stderr)")
            #expect(try remote.taskReferences().count == 16)
            let gathered = try BuiltBinary.xj(["gather"], in: lab)
            #expect(gathered.status == 0, "\(gathered.stderr)")
            #expect(gathered.stdout.contains("64 experiments from 16 tasks of sweep"), "\(gathered.stdout)")
            let counts = try remote.runKeyCounts()
            #expect(counts.count == 64 && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
            #expect(try remote.taskReferences().isEmpty)
            #expect(try remote.fsckProblems() == nil)
            // The same sweep again: every task finds its points recorded and trains nothing.
            let again = try submit(cluster, lab: lab, tasks: 16, grid: grid)
            #expect(again != job)
            #expect(cluster.waitUntilIdle(timeout: 600))
            for task in 1...16 { #expect(taskLog(lab, job: again, task: task).contains("4 points, 4 already recorded, 0 trained"), "task \(task)") }
            #expect(try remote.runKeyCounts().count == 64)
        }
    }

    @Test func aCancelledTaskResubmittedRunsOnlyItsMissingPoints() throws {
        try withScratchDirectory { folder in
            let cluster = try SlurmCluster(folder: folder + "/slurm")
            defer { cluster.stop() }
            let remote = SweepRemote(gitDirectory: folder + "/remote.git")
            let lab = try makeLab(folder, url: remote.gitDirectory)
            let grid = ["--data", "digits", "--model", "mlp", "hidden=64", "lr=0.01,0.003", "seed=1..6", "epochs=6"]
            let job = try submit(cluster, lab: lab, tasks: 2, grid: grid)
            // Cancel task 1 as soon as it has pushed its first batch.
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline, !(try remote.taskReferences().contains { $0.hasSuffix("/1") }) { usleep(50_000) }
            let cancelled = try cluster.run("/usr/bin/scancel", ["\(job)_1"])
            #expect(cancelled.status == 0, "\(cancelled.stderr)")
            #expect(cluster.waitUntilIdle(timeout: 600))
            #expect(try remote.fsckProblems() == nil)
            let status = try cluster.run(BuiltBinary.xjPath, ["sweep", "status", job], in: lab)
            #expect(status.stdout.contains("ended,") && status.stdout.contains("missing"), "\(status.stdout)")
            let recordedBefore = try remote.taskReferences().count
            #expect(recordedBefore == 2)
            let again = try submit(cluster, lab: lab, tasks: 2, grid: grid)
            #expect(cluster.waitUntilIdle(timeout: 600))
            // Task 1 goes on from what it pushed; task 2 had finished and trains nothing.
            let first = taskLog(lab, job: again, task: 1)
            let resumed = first.range(of: #"6 points, ([1-5]) already recorded, ([1-5]) trained"#, options: .regularExpression)
            #expect(resumed != nil, "\(first)")
            #expect(taskLog(lab, job: again, task: 2).contains("6 points, 6 already recorded, 0 trained"))
            let gathered = try BuiltBinary.xj(["gather"], in: lab)
            #expect(gathered.status == 0, "\(gathered.stderr)")
            let counts = try remote.runKeyCounts()
            #expect(counts.count == 12 && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
            #expect(try remote.fsckProblems() == nil)
        }
    }

    @Test func twoSweepsAtOnceOverGitDaemon() throws {
        try withScratchDirectory { folder in
            let cluster = try SlurmCluster(folder: folder + "/slurm")
            defer { cluster.stop() }
            let served = folder + "/served"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            #expect(try BuiltBinary.git(["init", "--bare", "-q", served + "/remote.git"], in: folder).status == 0)
            let daemon = try GitDaemon(basePath: served)
            defer { daemon.stop() }
            let remote = SweepRemote(gitDirectory: served + "/remote.git")
            let lab = try makeLab(folder, url: daemon.url("remote.git"))
            let first = try submit(cluster, lab: lab, tasks: 8, grid: ["--data", "digits", "--model", "linear", "lr=0.3,0.1", "seed=1..16", "epochs=1"])
            let second = try submit(cluster, lab: lab, tasks: 8, grid: ["--data", "digits", "--model", "linear", "lr=0.03,0.01", "seed=1..16", "epochs=1"])
            #expect(!first.isEmpty && !second.isEmpty && first != second)
            #expect(cluster.waitUntilIdle(timeout: 600))
            #expect(try remote.taskReferences().count == 16)
            let gathered = try BuiltBinary.xj(["gather"], in: lab)
            #expect(gathered.status == 0, "\(gathered.stderr)")
            #expect(gathered.stdout.contains("64 experiments from 16 tasks of sweeps"), "\(gathered.stdout)")
            let counts = try remote.runKeyCounts()
            #expect(counts.count == 64 && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
            #expect(try remote.taskReferences().isEmpty)
            #expect(try remote.fsckProblems() == nil)
        }
    }
}
