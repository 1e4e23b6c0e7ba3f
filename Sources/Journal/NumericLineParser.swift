import Foundation

/// Parses whole lines of an all-numeric CSV region on several threads at once, for `CSVScanner`
/// (adding a dataset, or loading one to train on). Each thread takes a part of the region that
/// starts and ends on a line end, and stops at the first line that is not plain numbers (a missing
/// or text cell, a ragged line, a number beyond float32's range), or at its start when the part
/// holds a quote or a NUL byte; from there
/// `CSVScanner` takes over and reads it one line at a time, so what it accepts, and every error and
/// its line number, stay the scanner's own.
///
/// Each piece writes its cells into a buffer the parser keeps from one chunk to the next: a fresh
/// array per chunk cost a page fault per 4 KiB of cells.
final class NumericLineParser {
    /// What one part yielded: the cells of its whole plain lines in order (as parsed: the scanner's
    /// statistics take doubles, training takes them as float32), the data rows and physical lines
    /// read, and where it stopped when a line was not plain numbers.
    struct Part {
        /// Valid until the next `parse`.
        var values: UnsafeBufferPointer<Double>
        var rows = 0
        var lines = 0
        /// The offset of the first line it did not read, when it stopped before its end.
        var stoppedAt: Int?
    }

    let columns: Int
    private var buffers: [UnsafeMutableBufferPointer<Double>] = []

    init(columns: Int) {
        self.columns = columns
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Parses `start..<end` (which ends just after a line end) in `parts` pieces at once.
    /// - Returns: the pieces' results in order.
    func parse(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, parts: Int) -> [Part] {
        var edges = [start]
        for piece in 1..<max(parts, 1) {
            let guess = max(start + (end - start) * piece / parts, edges.last!)
            // Each piece starts just after a line end.
            guard let newline = memchr(base + guess, Int32(UInt8(ascii: "\n")), end - guess) else { break }
            let next = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) - base + 1
            if next < end && next > edges.last! { edges.append(next) }
        }
        edges.append(end)
        // A cell takes at least two bytes (a digit and a comma or line end).
        for piece in 0..<edges.count - 1 {
            let capacity = (edges[piece + 1] - edges[piece]) / 2 + 1
            if piece == buffers.count { buffers.append(.allocate(capacity: 0)) }
            if buffers[piece].count < capacity {
                buffers[piece].deallocate()
                buffers[piece] = .allocate(capacity: capacity + capacity / 4)
            }
        }
        let buffers = buffers
        return ConcurrentBlocks.map(count: edges.count - 1, threshold: 2) { pieces in
            pieces.map { parsePiece(base, from: edges[$0], to: edges[$0 + 1], into: buffers[$0]) }
        }.flatMap { $0 }
    }

    /// The lines of `start..<end`, as `CSVScanner.acceptPlainLine` would read them when every cell is a
    /// bare number: CRLF or LF line ends, blank lines skipped (but counted). A line's end is where its
    /// last number stops, so the bytes are gone over once.
    private func parsePiece(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, into values: UnsafeMutableBufferPointer<Double>) -> Part {
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), comma = UInt8(ascii: ",")
        var part = Part(values: UnsafeBufferPointer(start: values.baseAddress, count: 0))
        let output = values.baseAddress!
        var count = 0
        // Quotes or NUL bytes need the scanner's general splitter and its messages: it reads the piece.
        guard memchr(base + start, Int32(UInt8(ascii: "\"")), end - start) == nil, memchr(base + start, 0, end - start) == nil else {
            part.stoppedAt = start
            return part
        }
        var index = start
        var value = 0.0
        // `end` follows a line end, so every number stops before it.
        while index < end {
            if base[index] == newline || (base[index] == carriageReturn && base[index + 1] == newline) {
                part.lines += 1
                index += base[index] == newline ? 1 : 2
                continue
            }
            let lineStart = index
            let rowStart = count
            var column = 0
            var lineEnded = false
            while column < columns {
                let stop = NumberParsing.parsePrefix(base, index, end, readableEnd: end, &value)
                guard stop >= 0, !Float(value).isInfinite else { break }
                output[count] = value
                count += 1
                column += 1
                let separator = base[stop]
                if separator == comma {
                    index = stop + 1
                } else if separator == newline || (separator == carriageReturn && base[stop + 1] == newline) {
                    index = stop + (separator == newline ? 1 : 2)
                    lineEnded = true
                    break
                } else {
                    break
                }
            }
            guard lineEnded, column == columns else {
                part.values = UnsafeBufferPointer(start: output, count: rowStart)
                part.stoppedAt = lineStart
                return part
            }
            part.rows += 1
            part.lines += 1
        }
        part.values = UnsafeBufferPointer(start: output, count: count)
        return part
    }
}
