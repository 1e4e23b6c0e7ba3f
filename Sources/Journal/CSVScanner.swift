import Foundation

/// Scans comma-separated text (RFC 4180: a header row, quoted fields with `""` escapes, LF or
/// CRLF line ends) and gathers per-column statistics in one pass.
///
/// A column's type is the type of its first non-missing cell: a number makes it numeric, and a
/// later cell that is not a number is an error naming its line and column. Empty cells and
/// `NA`, `NaN`, `nan`, `N/A` count as missing. Blank lines are skipped.
import Foundation

struct CSVScanner: DatasetScanner {
    /// What is known of a categorical column.
    private struct Categories {
        var missing = 0
        var distinct: Set<[UInt8]> = []
        var overflow = false
    }

    private let source: String
    private let requestedLabel: String?
    private var pending: [UInt8] = []
    /// The physical line number of the first byte of `pending`.
    private var line = 1
    private var header: [String]?
    /// Per column: nil until its first non-missing cell decides it.
    private var kinds: [ColumnSummary.Kind?] = []
    private var categories: [Categories] = []
    private var numbers = BlockAccumulator(columnCount: 1)
    /// Reads plain numeric lines on several threads, once every column is known to be numeric.
    private var lineParser: NumericLineParser?
    private var labelIndex = 0
    /// Values of a categorical label (a numeric one is followed by `numbers`).
    private var textLabel = LabelTracker()
    /// When loading a dataset for training: every cell by column (NaN for missing or text), and the text cells by row.
    private let collect: Bool
    private(set) var collectedValues: [Float] = []
    private(set) var collectedText: [[Int: String]] = []
    private var rows = 0
    private var fieldStarts: [Int] = []
    private var fieldEnds: [Int] = []
    private var fieldQuoted: [Bool] = []

    /// - Parameter expectedCells: with `collect`, how many cells to make room for at once (the stored
    ///   manifest's rows × columns, bounded by what the data's bytes can hold): growing the array by
    ///   doubling would copy it and, at its last step, hold twice the data.
    init(source: String, label: String?, collect: Bool = false, expectedCells: Int = 0) {
        self.source = source
        requestedLabel = label
        self.collect = collect
        if collect && expectedCells > 0 { collectedValues.reserveCapacity(expectedCells) }
    }

    /// The collected cells, after `finish`.
    var table: DatasetTable {
        DatasetTable(names: header ?? [], kinds: kinds.map { $0 ?? .numeric }, values: collectedValues, text: collectedText)
    }

    /// Takes a numeric cell (NaN for missing). A number beyond float32's range would become infinity
    /// in training, which computes in float32: it is refused by line and column.
    @inline(__always)
    private mutating func push(_ value: Double, column: Int, line: Int) throws {
        if Float(value).isInfinite {
            throw JournalError.invalidDataset(source: source, location: "line \(line), column `\(header![column])`",
                                              message: "\(value) is out of float32 range (magnitude at most 3.4e38), which training computes in")
        }
        numbers.append(value)
        if collect { collectedValues.append(Float(value)) }
    }

    /// The chunk is read where it lies: only an unfinished last line is copied, to be completed by the next chunk.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws {
        let bytes = chunk.assumingMemoryBound(to: UInt8.self)
        var start = 0
        if !pending.isEmpty {
            // The line begun in the previous chunk, completed up to the first line end of this one.
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
                pending.append(contentsOf: bytes)
                return try parsePending(final: false)
            }
            pending.append(contentsOf: bytes[...newline])
            start = newline + 1
            try parsePending(final: false)
            guard pending.isEmpty else {
                // A quoted field runs on across lines: the rest of the chunk joins it.
                pending.append(contentsOf: bytes[start...])
                return try parsePending(final: false)
            }
        }
        guard let base = bytes.baseAddress, start < bytes.count else { return }
        let consumed = try parse(base + start, count: bytes.count - start, final: false)
        pending.append(contentsOf: bytes[(start + consumed)...])
    }

    mutating func finish(totalBytes: UInt64) throws -> DatasetManifest {
        try parsePending(final: true)
        guard let header else { throw JournalError.invalidDataset(source: source, location: nil, message: "the file is empty") }
        guard rows > 0 else { throw JournalError.invalidDataset(source: source, location: nil, message: "has a header row but no data rows") }
        numbers.flush()
        let summaries = header.indices.map { index -> ColumnSummary in
            let name = header[index]
            switch kinds[index] ?? .numeric {
            case .numeric:
                let statistics = numbers.statistics[index]
                let present = statistics.count > 0
                return ColumnSummary(name: name, kind: .numeric, missing: statistics.missing,
                                     minimum: present ? statistics.minimum : nil, maximum: present ? statistics.maximum : nil,
                                     mean: present ? statistics.mean : nil, standardDeviation: present ? statistics.standardDeviation : nil)
            case .categorical:
                let column = categories[index]
                return ColumnSummary(name: name, kind: .categorical, missing: column.missing, distinct: column.overflow ? nil : column.distinct.count)
            }
        }
        let labelKind = kinds[labelIndex] ?? .numeric
        let (task, classes) = labelKind == .numeric ? numbers.label.decide(kind: .numeric) : textLabel.decide(kind: .categorical)
        return DatasetManifest(format: .csv, rows: rows, bytes: totalBytes, columns: summaries, label: header[labelIndex],
                               task: task, classes: classes, dtype: nil)
    }

    // MARK: - Records

    private mutating func parsePending(final: Bool) throws {
        var pending = pending
        self.pending = []
        let consumed = try pending.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return try parse(base, count: buffer.count, final: final)
        }
        pending.removeFirst(consumed)
        self.pending = pending
    }

    /// Reads the whole records of `base[0..<count]` (all of it when `final`).
    /// - Returns: how many bytes were read; the rest is an unfinished record.
    private mutating func parse(_ base: UnsafePointer<UInt8>, count: Int, final: Bool) throws -> Int {
        var consumed = 0
        var consumedLines = 0
        defer { line += consumedLines }
        if header != nil { (consumed, consumedLines) = parseNumericLines(base, count: count) }
        while consumed < count {
            if header != nil, let next = try acceptPlainLine(base, from: consumed, end: count, final: final, line: line + consumedLines) {
                if next < 0 { break }
                consumed = next
                consumedLines += 1
                continue
            }
            guard let (next, newlines) = try splitRecord(base, from: consumed, end: count, final: final, line: line + consumedLines) else { break }
            try acceptRecord(base, line: line + consumedLines)
            consumed = next
            consumedLines += newlines
        }
        return consumed
    }

    /// Once every column is known to be numeric: the whole lines of `base[0..<count]` read on several
    /// threads at once (`NumericLineParser`), up to the first line that is not plain numbers. The values
    /// are then taken in file order, as the scanner takes them, so the statistics are the same bits.
    /// - Returns: the offset after the lines read, and how many lines that was.
    private mutating func parseNumericLines(_ base: UnsafePointer<UInt8>, count: Int) -> (Int, Int) {
        let columns = kinds.count
        // Below a few hundred kilobytes the threads' start costs more than they save.
        guard count >= 1 << 18, columns > 0, kinds.allSatisfy({ $0 == .numeric }) else { return (0, 0) }
        var end = count
        while end > 0 && base[end - 1] != UInt8(ascii: "\n") { end -= 1 }
        guard end > 0 else { return (0, 0) }
        if lineParser == nil { lineParser = NumericLineParser(columns: columns) }
        var lines = 0
        var taken: [NumericLineParser.Part] = []
        var stoppedAt: Int?
        for part in lineParser!.parse(base, from: 0, to: end, parts: min(ProcessInfo.processInfo.activeProcessorCount, 4)) {
            taken.append(part)
            if collect { collectedValues.append(contentsOf: part.values.lazy.map(Float.init)) }
            rows += part.rows
            lines += part.lines
            if let stopped = part.stoppedAt {
                stoppedAt = stopped
                break
            }
        }
        // The statistics and the label are folded block by block, as for the scanner's own lines.
        numbers.appendRows(taken.map(\.values))
        return (stoppedAt ?? end, lines)
    }

    /// Splits the record starting at `start` into fields; nil when the record is not complete yet.
    /// Returns the offset after the record and the number of line ends it contained.
    private mutating func splitRecord(_ base: UnsafePointer<UInt8>, from start: Int, end: Int, final: Bool, line: Int) throws -> (Int, Int)? {
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldQuoted.removeAll(keepingCapacity: true)
        var index = start
        var newlines = 0
        while true {
            if index < end && base[index] == UInt8(ascii: "\"") {
                index += 1
                let contentStart = index
                while true {
                    guard index < end else {
                        if final { throw JournalError.invalidDataset(source: source, location: "line \(line)", message: "a quoted field is never closed") }
                        return nil
                    }
                    let byte = base[index]
                    if byte == 0 { throw binary(line + newlines) }
                    if byte == UInt8(ascii: "\n") { newlines += 1 }
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < end && base[index + 1] == UInt8(ascii: "\"") { index += 2; continue }
                        if index + 1 >= end && !final { return nil }
                        break
                    }
                    index += 1
                }
                fieldStarts.append(contentStart)
                fieldEnds.append(index)
                fieldQuoted.append(true)
                index += 1
                if index < end && base[index] == UInt8(ascii: "\r") { index += 1 }
                guard index >= end || base[index] == UInt8(ascii: ",") || base[index] == UInt8(ascii: "\n") else {
                    throw JournalError.invalidDataset(source: source, location: "line \(line + newlines)", message: "text after a closing quote")
                }
            } else {
                let fieldStart = index
                while index < end {
                    let byte = base[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
                    if byte == 0 { throw binary(line + newlines) }
                    index += 1
                }
                var fieldEnd = index
                if fieldEnd > fieldStart && base[fieldEnd - 1] == UInt8(ascii: "\r") && (index >= end || base[index] == UInt8(ascii: "\n")) { fieldEnd -= 1 }
                fieldStarts.append(fieldStart)
                fieldEnds.append(fieldEnd)
                fieldQuoted.append(false)
            }
            if index >= end {
                return final ? (index, newlines) : nil
            }
            if base[index] == UInt8(ascii: "\n") { return (index + 1, newlines + 1) }
            index += 1
        }
    }

    private func binary(_ line: Int) -> JournalError {
        .invalidDataset(source: source, location: "line \(line)", message: "contains binary data (a NUL byte); not a CSV text file")
    }

    private mutating func acceptRecord(_ base: UnsafePointer<UInt8>, line: Int) throws {
        if fieldStarts.count == 1 && fieldStarts[0] == fieldEnds[0] && !fieldQuoted[0] { return }
        guard let header else {
            try acceptHeader(base, line: line)
            return
        }
        guard fieldStarts.count == header.count else {
            throw JournalError.invalidDataset(source: source, location: "line \(line)",
                                              message: "has \(fieldStarts.count) fields, the header has \(header.count)")
        }
        rows += 1
        for column in 0..<fieldStarts.count {
            try acceptCell(base, fieldStarts[column], fieldEnds[column], quoted: fieldQuoted[column], column: column, line: line)
        }
    }

    /// The fast path for a line without quotes: finds its end with `memchr`, then takes its cells
    /// one by one. Returns the offset after the line, -1 when the line is not complete yet, or nil
    /// when the line has a quote and needs the general record splitter.
    private mutating func acceptPlainLine(_ base: UnsafePointer<UInt8>, from start: Int, end: Int, final: Bool, line: Int) throws -> Int? {
        let length = end - start
        let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), length).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
        guard newline != nil || final else { return -1 }
        var lineEnd = newline ?? end
        if memchr(base + start, Int32(UInt8(ascii: "\"")), lineEnd - start) != nil { return nil }
        if memchr(base + start, 0, lineEnd - start) != nil { throw binary(line) }
        let next = newline.map { $0 + 1 } ?? end
        if lineEnd > start && base[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        if lineEnd == start { return next }
        let columnCount = kinds.count
        var column = 0
        var index = start
        var value = 0.0
        while true {
            guard column < columnCount else { throw raggedLine(base, start, lineEnd, line: line) }
            let fieldStart = index
            // Most cells of a numeric column are a bare number: parse it in the same pass that finds the comma.
            let stop = kinds[column] == .numeric ? NumberParsing.parsePrefix(base, index, lineEnd, readableEnd: end, &value) : -1
            if stop >= 0 && (stop == lineEnd || base[stop] == UInt8(ascii: ",")) {
                try push(value, column: column, line: line)
                index = stop
            } else {
                while index < lineEnd && base[index] != UInt8(ascii: ",") { index += 1 }
                try acceptCell(base, fieldStart, index, quoted: false, column: column, line: line)
            }
            column += 1
            if index >= lineEnd { break }
            index += 1
        }
        guard column == columnCount else { throw raggedLine(base, start, lineEnd, line: line) }
        rows += 1
        return next
    }

    private func raggedLine(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, line: Int) -> JournalError {
        var fields = 1
        for offset in start..<end where base[offset] == UInt8(ascii: ",") { fields += 1 }
        return .invalidDataset(source: source, location: "line \(line)", message: "has \(fields) fields, the header has \(kinds.count)")
    }

    @inline(__always)
    private mutating func acceptCell(_ base: UnsafePointer<UInt8>, _ fieldStart: Int, _ fieldEnd: Int, quoted: Bool, column: Int, line: Int) throws {
        var start = fieldStart
        var end = fieldEnd
        while start < end && base[start] == 0x20 { start += 1 }
        while end > start && base[end - 1] == 0x20 { end -= 1 }
        if Self.isMissing(base, start, end) {
            if kinds[column] == .categorical { categories[column].missing += 1 }
            try push(.nan, column: column, line: line)
            return
        }
        if kinds[column] == nil {
            kinds[column] = NumberParsing.parse(base, start, end) == nil ? .categorical : .numeric
            if kinds[column] == .numeric && column == labelIndex { numbers.labelIndex = labelIndex }
        }
        if kinds[column] == .numeric {
            guard let value = NumberParsing.parse(base, start, end) else {
                let text = String(decoding: UnsafeBufferPointer(start: base + start, count: min(end - start, 40)), as: UTF8.self)
                throw JournalError.invalidDataset(source: source, location: "line \(line), column `\(header![column])`",
                                                  message: "expected a number, got \(text.debugDescription)")
            }
            try push(value, column: column, line: line)
        } else {
            let text = try cellText(base, start, end, quoted: quoted, line: line, column: header![column])
            if collect { collectedText[column][collectedValues.count / kinds.count] = String(decoding: text, as: UTF8.self) }
            try push(.nan, column: column, line: line)
            if !categories[column].overflow {
                categories[column].distinct.insert(text)
                if categories[column].distinct.count > DatasetManifest.distinctLimit {
                    categories[column].overflow = true
                    categories[column].distinct = []
                }
            }
            if column == labelIndex { textLabel.add(text: text) }
        }
    }

    private mutating func acceptHeader(_ base: UnsafePointer<UInt8>, line: Int) throws {
        var names: [String] = []
        var seen: Set<String> = []
        for index in 0..<fieldStarts.count {
            let bytes = try cellText(base, fieldStarts[index], fieldEnds[index], quoted: fieldQuoted[index], line: line, column: "\(index + 1)")
            let name = CanonicalJSON.normalize(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces))
            guard !name.isEmpty else {
                throw JournalError.invalidDataset(source: source, location: "line \(line)", message: "header field \(index + 1) is empty; every column needs a name")
            }
            guard seen.insert(name).inserted else {
                throw JournalError.invalidDataset(source: source, location: "line \(line)", message: "column name \(name.debugDescription) appears twice in the header")
            }
            names.append(name)
        }
        if let requestedLabel {
            guard let index = names.firstIndex(of: CanonicalJSON.normalize(requestedLabel)) else {
                let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
                throw JournalError.invalidDataset(source: source, location: nil, message: "no label column `\(requestedLabel)`; the columns are \(shown)")
            }
            labelIndex = index
        } else {
            labelIndex = names.count - 1
        }
        header = names
        kinds = Array(repeating: nil, count: names.count)
        categories = Array(repeating: Categories(), count: names.count)
        // Loading to train needs the values and the label's classes, not the columns' statistics.
        numbers = BlockAccumulator(columnCount: names.count, computingStatistics: !collect)
        if collect { collectedText = Array(repeating: [:], count: names.count) }
    }

    /// The cell's bytes with `""` unescaped, checked to be UTF-8 text.
    private func cellText(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, quoted: Bool, line: Int, column: String) throws -> [UInt8] {
        var bytes = Array(UnsafeBufferPointer(start: base + start, count: end - start))
        if quoted, bytes.contains(UInt8(ascii: "\"")) {
            var unescaped: [UInt8] = []
            var index = 0
            while index < bytes.count {
                unescaped.append(bytes[index])
                index += bytes[index] == UInt8(ascii: "\"") ? 2 : 1
            }
            bytes = unescaped
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw JournalError.invalidDataset(source: source, location: "line \(line), column `\(column)`", message: "is not UTF-8 text; not a CSV text file")
        }
        return bytes
    }

    private static func isMissing(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        switch end - start {
        case 0: return true
        case 2: return base[start] == UInt8(ascii: "N") && base[start + 1] == UInt8(ascii: "A")
        case 3:
            let (a, b, c) = (base[start], base[start + 1], base[start + 2])
            return (a | 0x20 == UInt8(ascii: "n") && b | 0x20 == UInt8(ascii: "a") && c | 0x20 == UInt8(ascii: "n"))
                || (a == UInt8(ascii: "N") && b == UInt8(ascii: "/") && c == UInt8(ascii: "A"))
        default: return false
        }
    }
}
