/// Scans a NumPy `.npy` file (format versions 1–3): a little-endian numeric array of one or two
/// dimensions in C order. Columns are named `col_0`, `col_1`, …; NaN elements count as missing; an
/// infinite element, or one beyond float32's range (training computes in float32), is refused by
/// its row and column. The header's shape times the item size must match the file's size before
/// anything is allocated, so a header cannot ask for more memory than the file holds.
struct NpyScanner: DatasetScanner {
    enum ElementType: String {
        case f4, f8, i1, i2, i4, i8, u1, u2, u4, u8
        var size: Int { Int(rawValue.dropFirst())! }
    }

    private let source: String
    private let requestedLabel: String?
    private var headerBytes: [UInt8] = []
    private var dataOffset: Int?
    private var elementType = ElementType.f4
    private var descriptor = ""
    private var rows = 0
    private var columnCount = 1
    private var accumulator = BlockAccumulator(columnCount: 1)
    private var labelIndex = 0
    private var carry: [UInt8] = []
    private var elementsSeen = 0

    private let collect: Bool
    /// When loading for training: every element in file order.
    private var collected: [Float] = []
    /// When loading for training: the label's values, as the manifest's were decided (from each
    /// element's own type), so the task and classes can be checked against the stored manifest.
    private var collectedLabel = LabelTracker()

    /// The file's size in bytes, checked against the header's shape.
    private let fileSize: UInt64

    init(source: String, label: String?, fileSize: UInt64, collect: Bool = false) {
        self.source = source
        requestedLabel = label
        self.fileSize = fileSize
        self.collect = collect
    }

    /// The collected elements as columns, after `finish`.
    var table: DatasetTable {
        DatasetTable(names: (0..<columnCount).map { "col_\($0)" }, kinds: Array(repeating: .numeric, count: columnCount),
                     values: collected, text: Array(repeating: [:], count: columnCount))
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws {
        var data = chunk
        if dataOffset == nil {
            headerBytes.append(contentsOf: chunk)
            guard let offset = try parseHeader() else { return }
            dataOffset = offset
            let remainder = Array(headerBytes[offset...])
            headerBytes = []
            try remainder.withUnsafeBytes { try scan($0) }
            return
        }
        if !carry.isEmpty {
            let needed = elementType.size - carry.count
            let take = min(needed, data.count)
            carry.append(contentsOf: data[0..<take])
            data = UnsafeRawBufferPointer(rebasing: data[take...])
            if carry.count < elementType.size { return }
            let element = carry
            carry = []
            try element.withUnsafeBytes { try scan($0) }
        }
        try scan(data)
    }

    mutating func finish(totalBytes: UInt64) throws -> DatasetManifest {
        guard dataOffset != nil else {
            throw JournalError.invalidDataset(source: source, location: nil, message: headerBytes.isEmpty ? "the file is empty" : "the .npy header is incomplete")
        }
        let expected = rows * columnCount
        guard elementsSeen == expected, carry.isEmpty else {
            throw JournalError.invalidDataset(source: source, location: nil,
                                              message: "holds \(elementsSeen) elements, its header promises \(expected) (truncated or padded file)")
        }
        guard rows > 0 else { throw JournalError.invalidDataset(source: source, location: nil, message: "the array has no rows") }
        accumulator.flush()
        let summaries = accumulator.statistics.enumerated().map { index, column in
            ColumnSummary(name: "col_\(index)", kind: .numeric, missing: column.missing,
                          minimum: column.count > 0 ? column.minimum : nil, maximum: column.count > 0 ? column.maximum : nil,
                          mean: column.count > 0 ? column.mean : nil, standardDeviation: column.count > 0 ? column.standardDeviation : nil)
        }
        let (task, classes) = (collect ? collectedLabel : accumulator.label).decide(kind: .numeric)
        return DatasetManifest(format: .npy, rows: rows, bytes: totalBytes, columns: summaries, label: "col_\(labelIndex)",
                               task: task, classes: classes, dtype: descriptor)
    }

    // MARK: - Header

    /// Parses the header once enough bytes are there; returns the offset of the data.
    private mutating func parseHeader() throws -> Int? {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        let prefix = min(headerBytes.count, 6)
        guard Array(headerBytes[0..<prefix]) == Array(magic[0..<prefix]) else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "not a NumPy .npy file (the magic bytes \\x93NUMPY are missing)")
        }
        guard headerBytes.count >= 10 else { return nil }
        let major = headerBytes[6]
        let lengthSize = major == 1 ? 2 : 4
        guard (1...3).contains(major) else {
            throw JournalError.invalidDataset(source: source, location: nil, message: ".npy format version \(major) is not supported (1 to 3 are)")
        }
        guard headerBytes.count >= 8 + lengthSize else { return nil }
        var length = 0
        for index in 0..<lengthSize { length |= Int(headerBytes[8 + index]) << (8 * index) }
        let start = 8 + lengthSize
        guard headerBytes.count >= start + length else { return nil }
        guard let text = String(validating: headerBytes[start..<start + length], as: UTF8.self) else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "the .npy header is not text")
        }
        try interpretHeader(text, dataOffset: start + length)
        return start + length
    }

    /// Reads the Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (n, m), }`.
    private mutating func interpretHeader(_ text: String, dataOffset: Int) throws {
        func value(of key: String) throws -> Substring {
            guard let keyRange = text.range(of: "'\(key)'"), let colon = text[keyRange.upperBound...].firstIndex(of: ":") else {
                throw JournalError.invalidDataset(source: source, location: nil, message: "the .npy header has no '\(key)'")
            }
            return text[text.index(after: colon)...].drop { $0 == " " }
        }
        let descr = try value(of: "descr")
        guard descr.first == "'", let close = descr.dropFirst().firstIndex(of: "'") else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "the .npy 'descr' is not a simple type")
        }
        descriptor = String(descr[descr.index(after: descr.startIndex)..<close])
        let order = descriptor.first
        guard let type = ElementType(rawValue: String(descriptor.dropFirst())), order == "<" || (order == "|" && type.size == 1) else {
            throw JournalError.invalidDataset(source: source, location: nil,
                                              message: "element type \(descriptor) is not supported (little-endian f4, f8, i1–i8, u1–u8 are)")
        }
        elementType = type
        if try value(of: "fortran_order").hasPrefix("True") {
            throw JournalError.invalidDataset(source: source, location: nil, message: "Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray")
        }
        let shapeText = try value(of: "shape")
        guard shapeText.first == "(", let close = shapeText.firstIndex(of: ")") else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "the .npy 'shape' is malformed")
        }
        let dimensions = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let sizes = dimensions.compactMap { Int($0) }
        guard sizes.count == dimensions.count, (1...2).contains(sizes.count), sizes.allSatisfy({ $0 >= 0 }) else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "a dataset must be a 1- or 2-dimensional array, the shape is (\(dimensions.joined(separator: ", ")))")
        }
        rows = sizes[0]
        columnCount = sizes.count == 2 ? sizes[1] : 1
        guard columnCount > 0 else { throw JournalError.invalidDataset(source: source, location: nil, message: "the array has no columns") }
        // Before anything is sized by the shape: the shape must describe exactly the bytes the file has.
        let (elements, overflow) = rows.multipliedReportingOverflow(by: columnCount)
        let (bytes, overflow2) = elements.multipliedReportingOverflow(by: elementType.size)
        let (total, overflow3) = bytes.addingReportingOverflow(dataOffset)
        guard !overflow, !overflow2, !overflow3, UInt64(total) == fileSize else {
            throw JournalError.invalidDataset(source: source, location: nil,
                                              message: "the header's shape (\(rows), \(columnCount)) of \(descriptor) needs " +
                                                  (overflow || overflow2 || overflow3 ? "more bytes than any file holds" : "\(total) bytes") +
                                                  ", the file has \(fileSize)")
        }
        if let requestedLabel {
            let index = requestedLabel.hasPrefix("col_") ? Int(requestedLabel.dropFirst(4)) : Int(requestedLabel)
            guard let index, (0..<columnCount).contains(index) else {
                throw JournalError.invalidDataset(source: source, location: nil,
                                                  message: "no label column `\(requestedLabel)`; the columns are col_0 … col_\(columnCount - 1)")
            }
            labelIndex = index
        } else {
            labelIndex = columnCount - 1
        }
        accumulator = BlockAccumulator(columnCount: columnCount)
        accumulator.labelIndex = labelIndex
    }

    // MARK: - Elements

    private mutating func collect(_ data: UnsafeRawBufferPointer, count: Int) {
        if collected.isEmpty { collected.reserveCapacity(rows * columnCount) }
        func load<T>(_: T.Type, _ convert: (T) -> Float, _ exact: (T) -> Double) {
            // The first label element of this chunk, then every `columnCount`-th.
            var nextLabel = (labelIndex - elementsSeen % columnCount + columnCount) % columnCount
            for index in 0..<count {
                let element = data.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self)
                collected.append(convert(element))
                if index == nextLabel {
                    let value = exact(element)
                    if value == value { collectedLabel.add(number: value) }
                    nextLabel += columnCount
                }
            }
        }
        switch elementType {
        case .f4: load(Float.self, { $0 }, { Double($0) })
        case .f8: load(Double.self, { Float($0) }, { $0 })
        case .i1: load(Int8.self, { Float($0) }, { Double($0) })
        case .i2: load(Int16.self, { Float($0) }, { Double($0) })
        case .i4: load(Int32.self, { Float($0) }, { Double($0) })
        case .i8: load(Int64.self, { Float($0) }, { Double($0) })
        case .u1: load(UInt8.self, { Float($0) }, { Double($0) })
        case .u2: load(UInt16.self, { Float($0) }, { Double($0) })
        case .u4: load(UInt32.self, { Float($0) }, { Double($0) })
        case .u8: load(UInt64.self, { Float($0) }, { Double($0) })
        }
    }

    private mutating func scan(_ data: UnsafeRawBufferPointer) throws {
        let size = elementType.size
        let count = data.count / size
        guard elementsSeen + count <= rows * columnCount else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "has more data than its header's shape promises")
        }
        switch elementType {
        case .f4: try checkRange(data, count: count, as: Float.self) { Float($0) }
        case .f8: try checkRange(data, count: count, as: Double.self) { Float($0) }
        default: break
        }
        // Loading for training needs the values, not the statistics the manifest already holds.
        if collect {
            collect(data, count: count)
        } else {
            accumulate(data, count: count)
        }
        elementsSeen += count
        if count * size < data.count { carry.append(contentsOf: data[(count * size)...]) }
    }

    /// Refuses an element that is infinite or beyond float32's range, naming its row and column.
    private func checkRange<T: BinaryFloatingPoint>(_ data: UnsafeRawBufferPointer, count: Int, as type: T.Type, _ narrow: (T) -> Float) throws {
        for index in 0..<count {
            let value = data.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self)
            guard !narrow(value).isInfinite else {
                let position = elementsSeen + index
                throw JournalError.invalidDataset(source: source, location: "row \(position / columnCount + 1), column col_\(position % columnCount)",
                                                  message: value.isInfinite ? "the value is infinite; a dataset holds finite numbers (NaN for missing)"
                                                                            : "\(Double(value)) is out of float32 range (magnitude at most 3.4e38), which training computes in")
            }
        }
    }

    private mutating func accumulate(_ data: UnsafeRawBufferPointer, count: Int) {
        switch elementType {
        case .f4: accumulator.append(data, count: count, as: Float.self) { Double($0) }
        case .f8: accumulator.append(data, count: count, as: Double.self) { $0 }
        case .i1: accumulator.append(data, count: count, as: Int8.self) { Double($0) }
        case .i2: accumulator.append(data, count: count, as: Int16.self) { Double($0) }
        case .i4: accumulator.append(data, count: count, as: Int32.self) { Double($0) }
        case .i8: accumulator.append(data, count: count, as: Int64.self) { Double($0) }
        case .u1: accumulator.append(data, count: count, as: UInt8.self) { Double($0) }
        case .u2: accumulator.append(data, count: count, as: UInt16.self) { Double($0) }
        case .u4: accumulator.append(data, count: count, as: UInt32.self) { Double($0) }
        case .u8: accumulator.append(data, count: count, as: UInt64.self) { Double($0) }
        }
    }
}
