import Foundation
import Testing
@testable import Journal
@testable import JournalStore
@testable import Lab
import Training

@Suite struct GridShardTests {
    func points(_ count: Int, seed: UInt64) -> [GridPoint] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            GridPoint(parameters: ["seed": .number(Double(index))], runKey: TreeID(ObjectID(bytes: (0..<20).map { _ in UInt8(truncatingIfNeeded: generator.next()) })), known: [])
        }
    }

    @Test(arguments: [(64, 16), (10, 3), (7, 7), (5, 1), (100, 64)])
    func sharesCoverEveryPointOnceAndDifferByAtMostOne(_ count: Int, _ shards: Int) throws {
        let all = points(count, seed: UInt64(count * 31 + shards))
        let shares = try (1...shards).map { try GridShard(index: $0, count: shards).select(all) }
        let keys = shares.flatMap { $0.map(\.runKey) }
        #expect(keys.count == count)
        #expect(Set(keys) == Set(all.map(\.runKey)))
        let sizes = shares.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        // The partition depends on the set of points, not their order.
        let reversed = try (1...shards).map { try GridShard(index: $0, count: shards).select(all.reversed()) }
        #expect(reversed.map { Set($0.map(\.runKey)) } == shares.map { Set($0.map(\.runKey)) })
    }

    @Test func parsesKOfNAndSlurmArrays() throws {
        #expect(try GridShard(parsing: "3/16", environment: [:]) == GridShard(index: 3, count: 16))
        let array = ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try GridShard(parsing: "auto", environment: array) == GridShard(index: 1, count: 4))
        let oneBased = ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try GridShard(parsing: "auto", environment: oneBased) == GridShard(index: 4, count: 4))
    }

    @Test(arguments: ["0/4", "5/4", "3", "a/b", "3/0", "1/200000", "auto"])
    func refusesBadShares(_ text: String) {
        #expect(throws: LabError.self) { try GridShard(parsing: text, environment: [:]) }
    }

    @Test func slurmScriptQuotesEverythingAndRefusesLineBreaks() throws {
        let sweep = SweepDefinition(name: "s1", remote: "origin", url: "/shared/it's.git", line: "main", tasks: 4,
                                    gridArguments: ["--data", "digits", "lr=0.1,0.01"], points: 8)
        let script = try SlurmScript(sweep: sweep, executable: "/opt/xj", logDirectory: "/logs", partition: "cpu", time: "00:10:00", cpusPerTask: 2)
        #expect(script.text.hasPrefix("#!/bin/bash\n#SBATCH --job-name=xj-s1\n#SBATCH --array=1-4\n#SBATCH --output=/logs/xj-sweep-s1-%A_%a.out\n" +
                                      "#SBATCH --partition=cpu\n#SBATCH --time=00:10:00\n#SBATCH --cpus-per-task=2\n"))
        #expect(script.text.hasSuffix("\nexec '/opt/xj' sweep task --remote '/shared/it'\\''s.git' --sweep 's1' --on 'main' --shard \"${SLURM_ARRAY_TASK_ID}/4\" -- grid '--data' 'digits' 'lr=0.1,0.01'\n"))
        #expect(throws: LabError.self) { try SlurmScript(sweep: sweep, executable: "/opt/xj", logDirectory: "/logs", time: "1:00\n#SBATCH --x") }
        var hostile = sweep
        hostile.gridArguments.append("seed=1\nrm -rf /")
        #expect(throws: LabError.self) { try SlurmScript(sweep: hostile, executable: "/opt/xj", logDirectory: "/logs") }
        #expect(throws: LabError.self) { try SlurmScript(sweep: sweep, executable: "/opt/xj", logDirectory: "/logs", extraOptions: ["account lab"]) }
    }

    @Test func derivedNamesAreStableAndDistinct() {
        let a = SweepDefinition.derivedName(line: "main", url: "/r.git", gridArguments: ["lr=0.1"])
        #expect(a == SweepDefinition.derivedName(line: "main", url: "/r.git", gridArguments: ["lr=0.1"]))
        #expect(a != SweepDefinition.derivedName(line: "main", url: "/r.git", gridArguments: ["lr=0.2"]))
        #expect(a != SweepDefinition.derivedName(line: "side", url: "/r.git", gridArguments: ["lr=0.1"]))
        #expect(a.count == 13 && a.hasPrefix("s"))
        #expect((try? LabJournal.validateSweepName(a)) != nil)
    }
}
