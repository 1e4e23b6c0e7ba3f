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

    /// Appends whole rows given as consecutive pieces of row-major cells, in order. The full blocks
    /// among them are summarised on several threads at once and folded in order, so the statistics
    /// are the bits that `append`, one cell at a time, would give.
    func appendRows(_ pieces: [UnsafeBufferPointer<Double>]) {
        var starts = [0]
        for piece in pieces { starts.append(starts.last! + piece.count) }
        let total = starts.last!
        var position = 0
        // The last piece that starts at or before `position` of the pieces taken as one run.
        func pieceIndex(at position: Int) -> Int { starts.lastIndex { $0 <= position }! }
        // Copies the cells `position..<position + count` of the pieces taken as one run.
        func copy(_ count: Int, from position: Int, into destination: UnsafeMutablePointer<Double>) {
            var piece = pieceIndex(at: position)
            var offset = position - starts[piece]
            var copied = 0
            while copied < count {
                while offset == pieces[piece].count { piece += 1; offset = 0 }
                let step = min(count - copied, pieces[piece].count - offset)
                (destination + copied).update(from: pieces[piece].baseAddress! + offset, count: step)
                copied += step
                offset += step
            }
        }
        if filled > 0 {
            let step = min(block.count - filled, total)
            copy(step, from: 0, into: block.baseAddress! + filled)
            filled += step
            position = step
            if filled == block.count { flush() }
        }
        let size = block.count
        let fullBlocks = (total - position) / size
        if fullBlocks > 0 {
            let first = position
            let columns = columnCount
            let (labelIndex, computesStatistics) = (labelIndex, computesStatistics)
            let summaries = ConcurrentBlocks.map(count: fullBlocks, threshold: 2) { range in
                let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: size)
                defer { scratch.deallocate() }
                return range.map { index -> BlockSummary in
                    let start = first + index * size
                    let piece = pieceIndex(at: start)
                    let cells: UnsafeBufferPointer<Double>
                    if piece < pieces.count, start + size <= starts[piece + 1] {
                        cells = UnsafeBufferPointer(rebasing: pieces[piece][(start - starts[piece])...].prefix(size))
                    } else {
                        copy(size, from: start, into: scratch.baseAddress!)
                        cells = UnsafeBufferPointer(scratch)
                    }
                    return BlockSummary(cells, rows: size / columns, columns: columns, labelIndex: labelIndex, computingStatistics: computesStatistics)
                }
            }
            for blockSummaries in summaries {
                for summary in blockSummaries { fold(summary) }
            }
            position += fullBlocks * size
        }
        copy(total - position, from: position, into: block.baseAddress! + filled)
        filled += total - position
    }

    /// Folds what is collected (whole rows) into the statistics. Call once more at the end.
    func flush() {
        let rows = filled / columnCount
        guard rows > 0 else { return }
        fold(BlockSummary(UnsafeBufferPointer(rebasing: block[..<filled]), rows: rows, columns: columnCount,
                          labelIndex: labelIndex, computingStatistics: computesStatistics))
        filled = 0
    }

    private func fold(_ summary: BlockSummary) {
        label.merge(summary.label)
        guard computesStatistics else { return }
        for column in 0..<columnCount {
            statistics[column].addMissing(summary.rows - summary.counts[column])
            statistics[column].merge(count: summary.counts[column], mean: summary.means[column], sumOfSquares: summary.squares[column],
                                     minimum: summary.minima[column], maximum: summary.maxima[column])
        }
    }
}
