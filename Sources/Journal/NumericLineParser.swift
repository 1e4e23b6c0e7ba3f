import Foundation

/// Parses whole lines of an all-numeric CSV region (no quotes, no NUL bytes) on several threads at
/// once, for `CSVScanner` (adding a dataset, or loading one to train on). Each thread takes a part of
/// the region that starts and ends on a line end, and stops at the first line that is not plain
/// numbers (a missing or text cell, a ragged line, a number beyond float32's range); from there
/// `CSVScanner` takes over and reads it one line at a time, so what it accepts, and every error and
/// its line number, stay the scanner's own.
struct NumericLineParser {
    /// What one part yielded: the cells of its whole plain lines in order (as parsed: the scanner's
    /// statistics take doubles, training takes them as float32), the label column's values,
    /// the data rows and physical lines read, and where it stopped when a line was not plain numbers.
    struct Part {
        var values: [Double] = []
        var labels: [Double] = []
        var rows = 0
        var lines = 0
        /// The offset of the first line it did not read, when it stopped before its end.
        var stoppedAt: Int?
    }

    let columns: Int
    let labelIndex: Int

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
        return ConcurrentBlocks.map(count: edges.count - 1, threshold: 2) { pieces in
            pieces.map { parsePiece(base, from: edges[$0], to: edges[$0 + 1]) }
        }.flatMap { $0 }
    }

    /// The lines of `start..<end`, as `CSVScanner.acceptPlainLine` would read them when every cell is a
    /// bare number: CRLF or LF line ends, blank lines skipped (but counted).
    private func parsePiece(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Part {
        var part = Part()
        part.values.reserveCapacity((end - start) / 2)
        var lineStart = start
        var value = 0.0
        while lineStart < end {
            guard let newline = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), end - lineStart) else { break }
            let next = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) - base + 1
            var lineEnd = next - 1
            if lineEnd > lineStart && base[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if lineEnd == lineStart {
                part.lines += 1
                lineStart = next
                continue
            }
            let rowStart = part.values.count
            var index = lineStart
            var column = 0
            var plain = true
            while true {
                let stop = NumberParsing.parsePrefix(base, index, lineEnd, &value)
                guard column < columns, stop >= 0, stop == lineEnd || base[stop] == UInt8(ascii: ","), !Float(value).isInfinite else {
                    plain = false
                    break
                }
                part.values.append(value)
                if column == labelIndex { part.labels.append(value) }
                column += 1
                if stop == lineEnd { break }
                index = stop + 1
            }
            guard plain, column == columns else {
                part.values.removeSubrange(rowStart...)
                if part.labels.count > part.rows { part.labels.removeLast() }
                part.stoppedAt = lineStart
                return part
            }
            part.rows += 1
            part.lines += 1
            lineStart = next
        }
        return part
    }
}
