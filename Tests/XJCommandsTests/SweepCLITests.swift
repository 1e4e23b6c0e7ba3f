import Foundation
import Testing
import XJTestSupport

/// Cluster sweeps without a cluster: `xj sweep task` run as plain processes, killed at random moments,
/// and the commands' refusals (issue 19).
@Suite struct SweepCLITests {
    func makeLab(_ folder: String) throws -> (lab: String, remote: SweepRemote) {
        let lab = folder + "/lab"
        try FileManager.default.createDirectory(atPath: lab, withIntermediateDirectories: true)
        try makeDigitsJournal(in: lab)
        let remote = SweepRemote(gitDirectory: folder + "/remote.git")
        #expect(try BuiltBinary.xj(["remote", "add", "origin", remote.gitDirectory], in: lab).status == 0)
        #expect(try BuiltBinary.xj(["push"], in: lab).status == 0)
        return (lab, remote)
    }

    func taskArguments(_ remote: SweepRemote, scratch: String, shard: String, grid: [String]) -> [String] {
        ["sweep", "task", "--remote", remote.gitDirectory, "--sweep", "k1", "--on", "main", "--shard", shard, "--scratch", scratch, "--", "grid"] + grid
    }

    @Test(.tags(.slow)) func aTaskKilledAtRandomMomentsLosesNothingAndRunsNothingTwice() throws {
        try withScratchDirectory { folder in
            let (lab, remote) = try makeLab(folder)
            let scratch = folder + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let grid = ["--data", "digits", "--model", "mlp", "hidden=32", "lr=0.01,0.003", "seed=1..4", "epochs=3"]
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<4 {
                guard let pid = Spawn.start([BuiltBinary.xjPath] + taskArguments(remote, scratch: scratch, shard: "1/1", grid: grid),
                                            streams: [1: ("/dev/null", O_WRONLY), 2: ("/dev/null", O_WRONLY)]) else {
                    Issue.record("could not start xj sweep task"); return
                }
                usleep(UInt32.random(in: 200_000...2_500_000, using: &generator))
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                #expect(try remote.fsckProblems() == nil)
                // What is on the remote is whole: every pushed experiment once.
                #expect(try remote.runKeyCounts(on: "refs/xj/sweeps/k1/1").values.allSatisfy { $0 == 1 })
            }
            let finished = try BuiltBinary.xj(taskArguments(remote, scratch: scratch, shard: "1/1", grid: grid), in: "/")
            #expect(finished.status == 0, "\(finished.stderr)")
            // Clones of killed runs are cleaned up by the next run of the same task.
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)
            let gathered = try BuiltBinary.xj(["gather"], in: lab)
            #expect(gathered.status == 0, "\(gathered.stderr)")
            let counts = try remote.runKeyCounts()
            #expect(counts.count == 8 && counts.values.allSatisfy { $0 == 1 }, "\(counts)")
            #expect(try remote.fsckProblems() == nil)
            // One task's records arrive as one commit on the line too, not as the task's batches.
            let subject = try BuiltBinary.git(["--git-dir", remote.gitDirectory, "log", "-1", "--format=%s %p", "main"], in: "/").stdout
            #expect(subject.hasPrefix("gather sweep k1: 1 task ref from origin ") && subject.split(separator: " ").count == 10, "\(subject)")
        }
    }

    @Test func shardsOfOneGridMeetWithoutOverlapAndGatherOnce() throws {
        try withScratchDirectory { folder in
            let (lab, remote) = try makeLab(folder)
            let grid = ["--data", "digits", "--model", "linear", "lr=0.3,0.1,0.03", "seed=1..3", "epochs=1"]
            let results = try (1...3).map { try BuiltBinary.xj(taskArguments(remote, scratch: folder, shard: "\($0)/3", grid: grid), in: "/") }
            for result in results { #expect(result.stdout.contains("3 points, 0 already recorded, 3 trained"), "\(result.stdout)\(result.stderr)") }
            // A plain grid with --shard sees the same shares.
            let dry = try BuiltBinary.xj(["grid"] + grid + ["--shard", "2/3", "--dry-run"], in: lab)
            #expect(dry.stdout.hasPrefix("shard 2/3: 3 of 9 points\n"), "\(dry.stdout)")
            let gathered = try BuiltBinary.xj(["gather", "--json"], in: lab)
            #expect(gathered.stdout.contains("\"gathered\": 9"), "\(gathered.stdout)")
            #expect(try remote.taskReferences().isEmpty)
            let again = try BuiltBinary.xj(["gather"], in: lab)
            #expect(again.stdout == "nothing to gather: origin has no task refs\n")
            // After the gather, the same task finds everything recorded on the line.
            let rerun = try BuiltBinary.xj(taskArguments(remote, scratch: folder, shard: "2/3", grid: grid), in: "/")
            #expect(rerun.stdout.contains("3 points, 3 already recorded, 0 trained"), "\(rerun.stdout)")
            #expect(try remote.runKeyCounts().count == 9)
        }
    }

    @Test func badInputIsRefusedInOneLineAndLeavesTheJournalAsItWas() throws {
        try withScratchDirectory { folder in
            let (lab, _) = try makeLab(folder)
            let journal = lab + "/.journal"
            let grid = ["grid", "--data", "digits", "--model", "linear", "lr=0.1,0.01"]
            let cases: [([String], [String: String], String)] = [
                (["sweep", "submit", "--tasks", "2", "--"] + grid, [:], "name the scheduler: --slurm"),
                (["sweep", "submit", "--slurm", "--tasks", "0", "--"] + grid, [:], "--tasks must be between 1 and 10000, got 0"),
                (["sweep", "submit", "--slurm", "--tasks", "3", "--"] + grid, [:], "--tasks 3 is more than the sweep's 2 points"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--", "train", "--data", "digits"], [:], "not \"train\""),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--"] + grid + ["--suggest", "4"], [:], "cannot take --suggest"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--"] + grid + ["--shard", "1/2"], [:], "cannot take --shard"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--", "grid", "--data", "digts", "lr=0.1,0.01"], [:], "no dataset \"digts\""),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--remote", "orign", "--"] + grid, [:], "did you mean \"origin\"?"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--name", "../x", "--"] + grid, [:], "sweep name \"../x\" must be"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--time", "1:00\n#SBATCH --x", "--"] + grid, [:], "contains a control character"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--"] + grid, ["XJ_SBATCH": "/bin/false"], "sbatch refused the sweep's script"),
                (["sweep", "submit", "--slurm", "--tasks", "2", "--"] + grid, ["XJ_SBATCH": folder + "/no-sbatch"], "cannot run " + folder + "/no-sbatch"),
                (["sweep", "status"], [:], "this journal has submitted no sweep"),
                (["gather", "--sweep", "a/b"], [:], "sweep name \"a/b\" must be"),
                (["gather", "--remote", "nowhere"], [:], "no remote \"nowhere\""),
                (["grid", "--data", "digits", "lr=0.1,0.01", "--shard", "3/2"], [:], "--shard: shard 3 of 2 does not exist"),
                (["grid", "--data", "digits", "lr=0.1,0.01", "--shard", "auto"], [:], "--shard: auto needs SLURM_ARRAY_TASK_ID"),
            ]
            // Fetch once so that remote-tracking refs are as a submit leaves them.
            #expect(try BuiltBinary.xj(["fetch"], in: lab).status == 0)
            let before = try snapshot(of: journal)
            for (arguments, environment, expected) in cases {
                let result = try BuiltBinary.xj(arguments, in: lab, environment: environment)
                #expect(result.status != 0, "\(arguments)")
                let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.contains("for more information") && !$0.isEmpty }
                #expect(lines.count == 1 && lines[0].hasPrefix("xj: error: ") && lines[0].contains(expected), "\(arguments): \(result.stderr)")
                #expect(try snapshot(of: journal) == before, "\(arguments) changed the journal")
            }
        }
    }
}
