/// The statistics of one block of whole rows (row-major, NaN for a missing cell), before
/// `BlockAccumulator` folds it into the columns' statistics in file order.
///
/// A block is summarised alone, so blocks can be summarised on several threads at once; folding
/// them in order gives the same bits as summarising them one after the other.
struct BlockSummary {
    var counts: [Int]
    /// Each column's mean over its present cells in the block.
    var means: [Double]
    var squares: [Double]
    var minima: [Double]
    var maxima: [Double]
    let rows: Int
    /// The values of the label column, when it is numeric.
    var label = LabelTracker()

    /// - Parameters:
    ///   - labelIndex: the numeric label column, whose values are followed too.
    ///   - computingStatistics: without, only the label is followed.
    init(_ values: UnsafeBufferPointer<Double>, rows: Int, columns: Int, labelIndex: Int?, computingStatistics: Bool) {
        self.rows = rows
        let width = computingStatistics ? columns : 0
        counts = Array(repeating: 0, count: width)
        means = Array(repeating: 0, count: width)
        squares = means
        minima = Array(repeating: .infinity, count: width)
        maxima = Array(repeating: -.infinity, count: width)
        if computingStatistics {
            means.withUnsafeMutableBufferPointer { sums in
                minima.withUnsafeMutableBufferPointer { minima in
                    maxima.withUnsafeMutableBufferPointer { maxima in
                        counts.withUnsafeMutableBufferPointer { counts in
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
                            for column in 0..<columns where counts[column] > 0 { sums[column] /= Double(counts[column]) }
                        }
                    }
                }
            }
            means.withUnsafeBufferPointer { means in
                squares.withUnsafeMutableBufferPointer { squares in
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
        if let labelIndex { followLabel(values, rows: rows, columns: columns, column: labelIndex) }
    }

    /// A label has few classes as a rule, and they are small whole numbers more often than not: those
    /// are marked in a bit set, and others found along a short list, before a set is asked.
    private mutating func followLabel(_ values: UnsafeBufferPointer<Double>, rows: Int, columns: Int, column: Int) {
        var small: UInt64 = 0
        var few: [Double] = []
        for row in 0..<rows {
            let value = values[row * columns + column]
            // 1...63 and whole. Not zero: −0 and 0 are one class, and a set keeps (and prints) the one it
            // met first, which the short list below keeps in order and a bit set would not.
            if value > 0, value < 64, value.rounded(.towardZero) == value {
                small |= 1 << UInt64(value)
                continue
            }
            guard value == value, !few.contains(value) else { continue }
            if few.count < 16 { few.append(value) } else { label.add(number: value) }
        }
        // Each distinct value reaches the tracker, which is all that it depends on.
        while small != 0 {
            label.add(number: Double(small.trailingZeroBitCount))
            small &= small - 1
        }
        for value in few { label.add(number: value) }
    }
}
