/// Streaming statistics of one column, updated one value at a time in a fixed order,
/// so the same data always give bit-identical numbers.
///
/// Mean and variance use Welford's update; `std` is the population standard deviation (ddof 0, as numpy).
public struct ColumnStatistics: Sendable {
    public private(set) var count = 0
    public private(set) var missing = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    public private(set) var mean = 0.0
    private var sumOfSquares = 0.0

    public init() {}

    @inline(__always)
    public mutating func add(_ value: Double) {
        count += 1
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquares += delta * (value - mean)
    }

    public mutating func addMissing() { missing += 1 }

    public var standardDeviation: Double { count > 0 ? (sumOfSquares / Double(count)).squareRoot() : 0 }
}
