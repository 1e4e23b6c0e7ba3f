import JournalStore

/// The binary form of one `ExperimentSummary` in the summary cache (FORMAT.md, "The summary cache"):
/// decoding it costs a few microseconds, where parsing the same summary as JSON and converting it was
/// most of a verdict or report over 100,000 experiments. Little-endian throughout; strings are a u32
/// byte count and UTF-8; values are tagged (0 null, 1 false, 2 true, 3 f64, 4 string, 5 array, 6 object).
enum SummaryRecordCoding {
    /// Values nested deeper than this are refused when decoding (a damaged or hostile file must not
    /// exhaust the stack); no parameter a journal records comes near it.
    static let depthLimit = 64

    // MARK: Writing

    static func encode(_ summary: ExperimentSummary) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out += summary.experiment.bytes
        out += summary.runKey.bytes
        append(summary.started.bitPattern, to: &out)
        let flags: UInt8 = (summary.dataset != nil ? 1 : 0) | (summary.command != nil ? 2 : 0) | (summary.hasCurves ? 4 : 0)
        out.append(flags)
        if let dataset = summary.dataset { out += dataset.bytes }
        append(summary.status, to: &out)
        append(summary.flaggedChecks, to: &out)
        if let command = summary.command {
            append(UInt32(command.count), to: &out)
            for word in command { append(word, to: &out) }
        }
        append(.object(summary.givenParams), to: &out)
        append(.object(summary.reportedParams), to: &out)
        append(UInt32(summary.metrics.count), to: &out)
        for (name, value) in summary.metrics.sorted(by: { $0.key < $1.key }) {
            append(name, to: &out)
            append(value.bitPattern, to: &out)
        }
        append(UInt32(summary.otherMetricNames.count), to: &out)
        for name in summary.otherMetricNames { append(name, to: &out) }
        return out
    }

    static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    static func append(_ text: String, to out: inout [UInt8]) {
        let utf8 = text.utf8
        append(UInt32(utf8.count), to: &out)
        out += utf8
    }

    static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(0)
        case let .bool(flag): out.append(flag ? 2 : 1)
        case let .number(number):
            out.append(3)
            append(number.bitPattern, to: &out)
        case let .string(text):
            out.append(4)
            append(text, to: &out)
        case let .array(items):
            out.append(5)
            append(UInt32(items.count), to: &out)
            for item in items { append(item, to: &out) }
        case let .object(members):
            out.append(6)
            append(UInt32(members.count), to: &out)
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                append(key, to: &out)
                append(member, to: &out)
            }
        }
    }

    // MARK: Reading

    /// The summary these bytes hold; nil when they are not one (short, overlong, a bad tag or count,
    /// a non-object where an object belongs, bytes left over).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ExperimentSummary? {
        var reader = Reader(bytes: bytes)
        guard let experiment = reader.id(), let runKey = reader.id(), let started = reader.integer(UInt64.self).map(Double.init(bitPattern:)),
              let flags = reader.integer(UInt8.self), flags & ~7 == 0 else { return nil }
        var dataset: ObjectID?
        if flags & 1 != 0 { guard let id = reader.id() else { return nil }; dataset = id }
        guard let status = reader.string(), let checks = reader.string() else { return nil }
        var command: [String]?
        if flags & 2 != 0 { guard let words = reader.strings() else { return nil }; command = words }
        guard case let .object(given)? = reader.value(depth: 0), case let .object(reported)? = reader.value(depth: 0),
              let metricCount = reader.count() else { return nil }
        var metrics: [String: Double] = [:]
        metrics.reserveCapacity(metricCount)
        for _ in 0..<metricCount {
            guard let name = reader.string(), let bits = reader.integer(UInt64.self) else { return nil }
            metrics[name] = Double(bitPattern: bits)
        }
        guard let others = reader.strings() else { return nil }
        guard reader.atEnd else { return nil }
        return ExperimentSummary(experiment: experiment, runKey: runKey, started: started, status: status, dataset: dataset, command: command,
                                 givenParams: given, reportedParams: reported, metrics: metrics, otherMetricNames: others,
                                 flaggedChecks: checks, hasCurves: flags & 4 != 0)
    }

    /// Bounds-checked reads from a record's bytes.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count - offset >= MemoryLayout<T>.size else { return nil }
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }

        /// A count of things that each take at least one byte: never more than the bytes left.
        mutating func count() -> Int? {
            guard let count = integer(UInt32.self), Int(count) <= bytes.count - offset else { return nil }
            return Int(count)
        }

        mutating func id() -> ObjectID? {
            guard bytes.count - offset >= 20 else { return nil }
            defer { offset += 20 }
            return ObjectID(raw: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 20)]))
        }

        mutating func string() -> String? {
            guard let length = count() else { return nil }
            defer { offset += length }
            // Checked by the record's checksum before it is decoded; `decoding` (which repairs rather than
            // refuses) avoids the generic validating path, a twentieth of a 100,000-row table.
            let text = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
            return String(decoding: text.bindMemory(to: UInt8.self), as: UTF8.self)
        }

        /// A count, then that many strings.
        mutating func strings() -> [String]? {
            guard let count = count() else { return nil }
            var strings: [String] = []
            for _ in 0..<count { guard let string = string() else { return nil }; strings.append(string) }
            return strings
        }

        mutating func skip(_ count: Int) -> Bool {
            guard bytes.count - offset >= count else { return false }
            offset += count
            return true
        }

        /// A string's bytes, undecoded.
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard let length = count() else { return nil }
            defer { offset += length }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        }

        /// A value's encoded bytes, stepped over with the checks `value(depth:)` makes (tags, counts,
        /// depth) but no decoding.
        mutating func valueBytes(depth: Int) -> UnsafeRawBufferPointer? {
            let start = offset
            guard skipValue(depth: depth) else { return nil }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
        }

        private mutating func skipValue(depth: Int) -> Bool {
            guard depth < SummaryRecordCoding.depthLimit, let tag = integer(UInt8.self) else { return false }
            switch tag {
            case 0, 1, 2: return true
            case 3: return skip(8)
            case 4: return rawString() != nil
            case 5:
                guard let count = count() else { return false }
                for _ in 0..<count { guard skipValue(depth: depth + 1) else { return false } }
                return true
            case 6:
                guard let count = count() else { return false }
                for _ in 0..<count { guard rawString() != nil, skipValue(depth: depth + 1) else { return false } }
                return true
            default: return false
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < SummaryRecordCoding.depthLimit, let tag = integer(UInt8.self) else { return nil }
            switch tag {
            case 0: return .null
            case 1: return .bool(false)
            case 2: return .bool(true)
            case 3: return integer(UInt64.self).map { .number(Double(bitPattern: $0)) }
            case 4: return string().map(JSONValue.string)
            case 5:
                guard let count = count() else { return nil }
                var items: [JSONValue] = []
                items.reserveCapacity(count)
                for _ in 0..<count { guard let item = value(depth: depth + 1) else { return nil }; items.append(item) }
                return .array(items)
            case 6:
                guard let count = count() else { return nil }
                var members: [String: JSONValue] = [:]
                members.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = string(), let member = value(depth: depth + 1), members.updateValue(member, forKey: key) == nil else { return nil }
                }
                return .object(members)
            default: return nil
            }
        }
    }
}
