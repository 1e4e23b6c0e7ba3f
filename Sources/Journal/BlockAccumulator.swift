/// Collects numeric cells row by row into a fixed-size, row-major block and folds each full block
/// into per-column `ColumnStatistics`. NaN marks a missing cell.
///
/// Working on blocks of `rowsPerBlock` rows keeps the inner loops free of divisions and lets them
/// run across the columns of a row, which the compiler vectorises; the fixed block size keeps the
/// results independent of how the input was chunked. The block holds at most `blockCells` values
/// (1,024 rows up to 1,024 columns, fewer rows beyond), so a file with a million columns does not ask
/// for gigabytes: the block's size depends on the column count only, never on the chunking.
final class BlockAccumulator {
    static let rowsPerBlock = 1024
    static let blockCells = 1 << 20

    let columnCount: Int
    private(set) var statistics: [ColumnStatistics]
    private let block: UnsafeMutableBufferPointer<Double>
    private var filled = 0
    private var sums: [Double]
    private var squares: [Double]
    private var minima: [Double]
    private var maxima: [Double]
    private var counts: [Int]
    /// The label column, whose values also go to `label` when it is numeric.
    var labelIndex: Int?
    private(set) var label = LabelTracker()

    deinit { block.deallocate() }

    /// Whether full blocks are folded into `statistics` (without, only the label is followed).
    let computesStatistics: Bool

    init(columnCount: Int, computingStatistics: Bool = true) {
        self.columnCount = columnCount
        computesStatistics = computingStatistics
        statistics = Array(repeating: ColumnStatistics(), count: columnCount)
        block = .allocate(capacity: columnCount * max(1, min(Self.rowsPerBlock, Self.blockCells / max(columnCount, 1))))
        block.initialize(repeating: 0)
        sums = Array(repeating: 0, count: columnCount)
        squares = sums
        minima = sums
        maxima = sums
        counts = Array(repeating: 0, count: columnCount)
    }

    /// Appends elements in row-major order (any count; rows may span calls).
    @inline(__always)
    func append<T>(_ source: UnsafeRawBufferPointer, count: Int, as _: T.Type, convert: (T) -> Double) {
        var taken = 0
        while taken < count {
            let room = block.count - filled
            let step = min(room, count - taken)
            for index in 0..<step {
                block[filled + index] = convert(source.loadUnaligned(fromByteOffset: (taken + index) * MemoryLayout<T>.stride, as: T.self))
            }
            filled += step
            taken += step
            if filled == block.count { flush() }
        }
    }

    /// Appends one cell; call once per column per row, in order.
    @inline(__always)
    func append(_ value: Double) {
        block[filled] = value
        filled += 1
        if filled == block.count { flush() }
    }

    /// Adds label values read elsewhere (`NumericLineParser`); the classes do not depend on the order.
    func addLabels(_ values: [Double]) {
        for value in values where value == value { label.add(number: value) }
    }

    private func followLabel(rows: Int) {
        guard let labelIndex else { return }
        for row in 0..<rows {
            let value = block[row * columnCount + labelIndex]
            if value == value { label.add(number: value) }
        }
    }

    /// Folds what is collected (whole rows) into the statistics. Call once more at the end.
    func flush() {
        let rows = filled / columnCount
        guard rows > 0 else { return }
        let columns = columnCount
        if !computesStatistics {
            followLabel(rows: rows)
            filled = 0
            return
        }
        do {
            let values = UnsafeBufferPointer(block)
            sums.withUnsafeMutableBufferPointer { sums in
                minima.withUnsafeMutableBufferPointer { minima in
                    maxima.withUnsafeMutableBufferPointer { maxima in
                        counts.withUnsafeMutableBufferPointer { counts in
                            for column in 0..<columns {
                                sums[column] = 0
                                counts[column] = 0
                                minima[column] = .infinity
                                maxima[column] = -.infinity
                            }
                            for row in 0..<rows {
                                let base = row * columns
                                for column in 0..<columns {
                                    let value = values[base + column]
                                    if value == value {
                                        sums[column] += value
                                        counts[column] += 1
                                        minima[column] = Swift.min(minima[column], value)
                                        maxima[column] = Swift.max(maxima[column], value)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for column in 0..<columns where counts[column] > 0 { sums[column] /= Double(counts[column]) }
        do {
            let values = UnsafeBufferPointer(block)
            sums.withUnsafeBufferPointer { means in
                squares.withUnsafeMutableBufferPointer { squares in
                    for column in 0..<columns { squares[column] = 0 }
                    for row in 0..<rows {
                        let base = row * columns
                        for column in 0..<columns {
                            let value = values[base + column]
                            if value == value {
                                let deviation = value - means[column]
                                squares[column] += deviation * deviation
                            }
                        }
                    }
                }
            }
        }
        followLabel(rows: rows)
        for column in 0..<columns {
            statistics[column].addMissing(rows - counts[column])
            statistics[column].merge(count: counts[column], mean: sums[column], sumOfSquares: squares[column],
                                     minimum: minima[column], maximum: maxima[column])
        }
        filled = 0
    }
}
