import Journal

/// One share of a sweep's points, for one of several processes (a Slurm array task): the points
/// sorted by run key, every `count`-th from the `index`-th. The partition depends only on the set of
/// points, so it is the same on every machine and after a resubmission, and shares differ by at most one point.
public struct GridShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= 100_000 else { throw LabError.invalidData("--shard: the number of shards must be between 1 and 100000, got \(count)") }
        guard index >= 1, index <= count else { throw LabError.invalidData("--shard: shard \(index) of \(count) does not exist: the first is 1/\(count), the last \(count)/\(count)") }
        self.index = index
        self.count = count
    }

    /// `K/N`, or `auto`: inside a Slurm job array, task `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1`
    /// of `SLURM_ARRAY_TASK_COUNT` (an array submitted as 1-N or 0-(N-1), every task of it).
    public init(parsing text: String, environment: [String: String]) throws {
        if text == "auto" {
            guard let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }), let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) else {
                throw LabError.invalidData("--shard: auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, which Slurm sets inside a job array (sbatch --array); elsewhere give K/N")
            }
            let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
            try self.init(index: id - minimum + 1, count: count)
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw LabError.invalidData("--shard: \(text.debugDescription) is not K/N (e.g. 3/16) or auto")
        }
        try self.init(index: index, count: count)
    }

    /// This share of `points`, in their original order.
    public func select(_ points: [GridPoint]) -> [GridPoint] {
        let order = points.indices.sorted { points[$0].runKey.object < points[$1].runKey.object }
        var mine = Set<Int>()
        for (rank, position) in order.enumerated() where rank % count == index - 1 { mine.insert(position) }
        return points.indices.filter(mine.contains).map { points[$0] }
    }

    public var description: String { "\(index)/\(count)" }
}
