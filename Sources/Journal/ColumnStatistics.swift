/// Streaming statistics of one column: count, missing, min, max, mean and the sum of squared
/// deviations, merged block by block.
///
/// A block's own mean and squared deviations are computed in two passes over it, then merged
/// with Chan et al.'s pairwise update. Blocks hold a fixed number of rows (`BlockAccumulator`),
/// so the same data always give bit-identical numbers however the file was read.
/// `standardDeviation` is the population standard deviation (ddof 0, as numpy's default).
public struct ColumnStatistics: Sendable {
    public private(set) var count = 0
    public private(set) var missing = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    public private(set) var mean = 0.0
    private var sumOfSquares = 0.0

    public init() {}

    /// Adds one value (a block of one).
    public mutating func add(_ value: Double) {
        merge(count: 1, mean: value, sumOfSquares: 0, minimum: value, maximum: value)
    }

    public mutating func addMissing(_ count: Int = 1) { missing += count }

    /// Merges the statistics of a block of `count` values.
    mutating func merge(count blockCount: Int, mean blockMean: Double, sumOfSquares blockSquares: Double, minimum blockMinimum: Double, maximum blockMaximum: Double) {
        guard blockCount > 0 else { return }
        let total = count + blockCount
        let delta = blockMean - mean
        mean += delta * Double(blockCount) / Double(total)
        sumOfSquares += blockSquares + delta * delta * Double(count) * Double(blockCount) / Double(total)
        count = total
        if blockMinimum < minimum { minimum = blockMinimum }
        if blockMaximum > maximum { maximum = blockMaximum }
    }

    public var standardDeviation: Double { count > 0 ? (sumOfSquares / Double(count)).squareRoot() : 0 }
}
