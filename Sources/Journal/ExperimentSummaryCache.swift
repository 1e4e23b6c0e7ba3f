import Foundation
import JournalStore

/// The derived summary cache `.journal/xj/summaries`: experiment id → what the experiment table
/// shows and a verdict or report reads (params, numeric metrics, status, dataset, flagged checks), so
/// `xj runs`, `xj verdict` and `xj report` read one file instead of parsing every experiment's records.
/// Experiment trees are immutable, so an entry never goes stale; which experiments exist always comes
/// from the run index or the state tree, never from this file.
///
/// Format (FORMAT.md): a first line `xj-summaries 4`, then one record per experiment: the payload's
/// length (u32, little-endian), its FNV-1a-64 checksum (u64), and the payload, which starts with the
/// experiment id's 20 bytes (`SummaryRecordCoding`). Reading walks the lengths and indexes the records
/// by id, and decodes only the summaries asked for. New records are appended in one write; a file whose
/// structure is broken, or a record asked for that fails its checksum (a torn append, damage), is
/// thrown away and written again from the objects. Writing is best effort: a read-only journal still lists.
public final class ExperimentSummaryCache {
    static let header = Array("xj-summaries 4\n".utf8)
    private let journal: LabJournal
    private var path: String { journal.path + "/xj/summaries" }
    /// The file, mapped once (appends leave the mapped bytes as they were; rewrites replace the file
    /// by rename): a lookup touches the pages of the records it walks instead of copying 50 MB.
    private var file: MappedFile?
    /// Whether `file` has been looked for.
    private var opened = false
    /// Summaries parsed or computed by this object.
    private var parsed: [ObjectID: ExperimentSummary] = [:]
    /// Whether the file on disk must be rewritten whole (it was damaged) rather than appended to.
    private var rewrite = false

    public init(journal: LabJournal) { self.journal = journal }

    /// The summaries of these experiments, from the cache where it has them and from the objects
    /// (then added to the cache) where it does not. An experiment the cache lacks and whose objects
    /// cannot be read (missing, corrupt) is left out.
    public func summaries(of experiments: [ObjectID]) -> [ObjectID: ExperimentSummary] {
        var found: [ObjectID: ExperimentSummary] = [:]
        found.reserveCapacity(experiments.count)
        for (id, summary) in zip(experiments, summaryList(of: experiments)) { if let summary { found[id] = summary } }
        return found
    }

    /// `summaries(of:)` in the order asked, nil for an experiment whose summary cannot be had.
    /// Records are found in one pass over the file by their ids' first 8 bytes, and ids are hashed
    /// and compared only as those 8 bytes: dictionaries keyed by whole ids were most of reading
    /// 100,000 summaries.
    public func summaryList(of experiments: [ObjectID]) -> [ExperimentSummary?] {
        var result = [ExperimentSummary?](repeating: nil, count: experiments.count)
        var wanted: [Int] = []
        for (index, id) in experiments.enumerated() {
            if !parsed.isEmpty, let summary = parsed[id] { result[index] = summary } else { wanted.append(index) }
        }
        let records = ranges(of: wanted.map { experiments[$0] })
        let decoded = decode(records, ids: wanted.map { experiments[$0] })
        var missing: [ExperimentSummary] = []
        for (position, index) in wanted.enumerated() {
            let id = experiments[index]
            if records[position] != nil {
                if let summary = decoded[position] {
                    result[index] = summary
                    continue
                }
                // A damaged record: the whole file is written again from what is known.
                rewrite = true
            }
            guard let summary = try? ExperimentSummary(journal: journal, experiment: TreeID(id)) else { continue }
            parsed[id] = summary
            result[index] = summary
            missing.append(summary)
        }
        if rewrite {
            // Everything the old file held that still checks out, plus what was computed.
            var keep = parsed
            if let file, let all = Self.records(file.bytes) {
                for (id, range) in all where keep[id] == nil {
                    if let summary = Self.summary(in: file.bytes, range, id: id) { keep[id] = summary }
                }
            }
            store(Array(keep.values), whole: true)
        } else if !missing.isEmpty {
            store(missing, whole: false)
        }
        return result
    }

    /// The columns a verdict reads of these experiments, in their order (`ExperimentColumns`): rows come
    /// straight from the file's records where they check out, and from `summaryList(of:)` (the objects,
    /// then added to the file) where the file lacks them or holds them damaged.
    /// - Returns: also the experiments left out because no summary of them could be had.
    public func columns(of experiments: [ObjectID]) -> (columns: ExperimentColumns, missing: [ObjectID]) {
        if let columns = columnsThroughIndex(of: experiments) { return (columns, []) }
        let records = ranges(of: experiments)
        // Held here: reading a damaged record from the objects may replace the file under the cache.
        let mapped = file
        let bytes = mapped?.bytes
        // Checksums and ids first, on several threads: what fails them is read from the objects in one batch.
        let sound: [Bool] = ConcurrentBlocks.map(count: records.count, threshold: 4_096) { block in
            block.map { position in
                guard let bytes, let range = records[position] else { return false }
                return Self.payload(in: bytes, range, id: experiments[position]) != nil
            }
        }.flatMap { $0 }
        let others = experiments.indices.filter { !sound[$0] }
        var fallback: [Int: ExperimentSummary] = [:]
        if !others.isEmpty {
            for (position, summary) in zip(others, summaryList(of: others.map { experiments[$0] })) { fallback[position] = summary }
        }
        var columns = ExperimentColumns()
        var missing: [ObjectID] = []
        for (position, id) in experiments.enumerated() {
            if sound[position], let bytes, let range = records[position], let payload = Self.payload(in: bytes, range, id: id, checked: true),
               columns.append(encoded: payload, id: id) {
                continue
            }
            // A record that passed its checksum but is not well formed is read like a damaged one.
            if let summary = fallback[position] ?? (sound[position] ? summaryList(of: [id])[0] : nil) { columns.append(summary) } else { missing.append(id) }
        }
        return withExtendedLifetime(mapped) { (columns, missing) }
    }

    /// The usual case of `columns(of:)`: every record is in the file, found through the index (written
    /// first, by one walk over the records, when it does not cover the whole file) and checks out. Blocks
    /// of rows are found, checked and read on several threads and joined in order. Nil for anything else.
    private func columnsThroughIndex(of experiments: [ObjectID]) -> ExperimentColumns? {
        if !opened {
            opened = true
            file = MappedFile(path)
        }
        guard let mapped = file, mapped.bytes.starts(with: Self.header) else { return nil }
        let bytes = mapped.bytes
        func prefix(_ range: Range<Int>) -> UInt64 { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: range.lowerBound + 12, as: UInt64.self)) }
        // Records appended after what the index covers are found by walking that tail; a long tail, or
        // no index, and the index is written anew from one walk over every record.
        var index = SummaryCacheIndex(path: indexPath, fileSize: bytes.count)
        var tail: [UInt64: [Int]] = [:]
        var tailCount = 0
        if let covered = index?.covered, covered < bytes.count {
            guard Self.forEachRecord(bytes, from: covered, { _, range in tail[prefix(range), default: []].append(range.lowerBound); tailCount += 1 }) else { return nil }
        }
        if index == nil || tailCount > SummaryCacheIndex.tailLimit {
            var pairs: [(prefix: UInt64, offset: Int)] = []
            guard Self.forEachRecord(bytes, { _, range in pairs.append((prefix(range), range.lowerBound)) }),
                  let folder = try? journal.repository.privateDirectory() else { return nil }
            SummaryCacheIndex.write(pairs, covered: bytes.count, to: indexPath, temporaryFolder: folder)
            index = SummaryCacheIndex(path: indexPath, fileSize: bytes.count)
            tail = [:]
            guard index?.covered == bytes.count else { return nil }
        }
        guard let index else { return nil }
        func tailRange(of id: ObjectID) -> Range<Int>? {
            for offset in tail[id.leadingWord] ?? [] where Self.carries(id, at: offset, in: bytes) {
                return offset..<(offset + 12 + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
            }
            return nil
        }
        let blocks: [ExperimentColumns?] = ConcurrentBlocks.map(count: experiments.count, threshold: 4_096) { block in
            var columns = ExperimentColumns()
            var buffer = [UInt8](repeating: 0, count: 1_024)
            for position in block {
                let id = experiments[position]
                switch Self.read(id, from: mapped, index: index, into: &buffer) {
                case .stale: return nil
                case let .found(count):
                    let appended = buffer.withUnsafeBytes { record in
                        Self.payload(in: record, 0..<count, id: id).map { columns.append(encoded: $0, id: id) } ?? false
                    }
                    guard appended else { return nil }
                case .absent:
                    // Past what the index covers: the short tail, walked through the mapping already.
                    guard let range = tailRange(of: id), let payload = Self.payload(in: bytes, range, id: id),
                          columns.append(encoded: payload, id: id) else { return nil }
                }
            }
            return columns
        }
        guard var joined = blocks[0], blocks.allSatisfy({ $0 != nil }) else { return nil }
        for block in blocks.dropFirst() { joined.append(contentsOf: block!) }
        return withExtendedLifetime(mapped) { joined }
    }

    /// A record's payload when its id and checksum agree (or were `checked` already).
    static func payload(in buffer: UnsafeRawBufferPointer, _ range: Range<Int>, id: ObjectID, checked: Bool = false) -> UnsafeRawBufferPointer? {
        let payload = UnsafeRawBufferPointer(rebasing: buffer[(range.lowerBound + 12)..<range.upperBound])
        if checked { return payload }
        guard carries(id, at: range.lowerBound, in: buffer) else { return nil }
        let checksum = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + 4, as: UInt64.self))
        return checksum == fnv(payload) ? payload : nil
    }

    /// The summaries in `records` of the file (nil where a record is missing or does not decode).
    /// Many are decoded on several threads at once, in blocks of consecutive records: each decode
    /// reads only its own record of the mapped file.
    private func decode(_ records: [Range<Int>?], ids: [ObjectID]) -> [ExperimentSummary?] {
        guard let bytes = file?.bytes else { return [ExperimentSummary?](repeating: nil, count: records.count) }
        return ConcurrentBlocks.map(count: records.count, threshold: 4_096) { block in
            block.map { position in records[position].flatMap { Self.summary(in: bytes, $0, id: ids[position]) } }
        }.flatMap { $0 }
    }

    /// Where the records of these experiments are, in their order; all nil (and the file marked for
    /// rewriting) when the file is missing, from another version, or not made of well-framed records.
    /// A few are found through `SummaryCacheIndex`; many, or any without a usable index, by one walk
    /// over the file, which writes the index anew when it was missing, stale or far behind.
    private func ranges(of wanted: [ObjectID]) -> [Range<Int>?] {
        let none = [Range<Int>?](repeating: nil, count: wanted.count)
        if !opened {
            opened = true
            file = MappedFile(path)
        }
        guard let file else {
            rewrite = true
            return none
        }
        let index = SummaryCacheIndex(path: indexPath, fileSize: file.bytes.count)
        if let index, wanted.count <= SummaryCacheIndex.tailLimit {
            if let found = Self.positions(file.bytes, wanted: wanted, index: index) { return found }
        }
        var pairs: [(prefix: UInt64, offset: Int)] = []
        guard let found = Self.positions(file.bytes, wanted: wanted, visit: { pairs.append(($0, $1)) }) else {
            rewrite = true
            return none
        }
        if pairs.count > SummaryCacheIndex.tailLimit, index.map({ pairs.count - $0.count > SummaryCacheIndex.tailLimit || !$0.agrees(with: pairs) }) ?? true,
           let folder = try? journal.repository.privateDirectory() {
            SummaryCacheIndex.write(pairs, covered: file.bytes.count, to: indexPath, temporaryFolder: folder)
        }
        return found
    }

    private var indexPath: String { path + ".idx" }

    /// `positions` through the index: each id's record by binary search, the rest by walking the
    /// records after what the index covers; nil when an entry points at anything but a record of the
    /// id it names (the file was written anew) or the tail's framing is broken.
    static func positions(_ bytes: UnsafeRawBufferPointer, wanted: [ObjectID], index: SummaryCacheIndex) -> [Range<Int>?]? {
        var found = [Range<Int>?](repeating: nil, count: wanted.count)
        var rest: [Int] = []
        for (position, id) in wanted.enumerated() {
            switch record(of: id, in: bytes, index: index) {
            case .stale: return nil
            case let .found(range): found[position] = range
            case .absent: rest.append(position)
            }
        }
        guard !rest.isEmpty else { return found }
        guard let tail = positions(bytes, wanted: rest.map { wanted[$0] }, from: index.covered) else { return nil }
        for (position, range) in zip(rest, tail) { found[position] = range }
        return found
    }

    /// Whether the record at `offset` (its length field; the caller knows its 32 first bytes are in the
    /// file) names `id`.
    static func carries(_ id: ObjectID, at offset: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        id.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress! + offset + 12, 20) } == 0
    }

    enum IndexedRecord { case found(Range<Int>), absent, stale }

    enum ReadRecord { case found(count: Int), absent, stale }

    /// `record(of:in:index:)` with the record copied into the start of `buffer` (`MappedFile.read`),
    /// for a pass over many records out of file order: found (the record's length field to the end of
    /// its payload is `count` bytes), absent from what the index covers, or stale.
    static func read(_ id: ObjectID, from file: MappedFile, index: SummaryCacheIndex, into buffer: inout [UInt8]) -> ReadRecord {
        let key = id.leadingWord
        for entry in index.entries(of: key) {
            let offset = index.offset(at: entry)
            // Most records are about 500 bytes: 1 KB is read first, and a longer record again whole below.
            let first = min(1_024, index.covered - offset)
            guard offset >= header.count, offset + 32 <= index.covered, file.read(at: offset, count: first, into: &buffer) else { return .stale }
            guard let end = buffer.withUnsafeBytes({ framedEnd(offset: offset, head: $0, key: key, covered: index.covered) }) else { return .stale }
            guard buffer.withUnsafeBytes({ carries(id, at: 0, in: $0) }) else { continue }
            if end - offset > first {
                guard file.read(at: offset, count: end - offset, into: &buffer) else { return .stale }
            }
            return .found(count: end - offset)
        }
        return .absent
    }

    /// The record of one id through the index: found, absent from what it covers, or `stale` when an
    /// entry points at anything but a record of the id it names (the file was written anew).
    static func record(of id: ObjectID, in bytes: UnsafeRawBufferPointer, index: SummaryCacheIndex) -> IndexedRecord {
        let key = id.leadingWord
        for entry in index.entries(of: key) {
            let offset = index.offset(at: entry)
            guard offset >= header.count, offset + 32 <= index.covered,
                  let end = framedEnd(offset: offset, head: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 32)]), key: key,
                                      covered: index.covered) else { return .stale }
            if carries(id, at: offset, in: bytes) { return .found(offset..<end) }
        }
        return .absent
    }

    /// What an index entry must point at, given the first 32 bytes (`head`) of the record at `offset`:
    /// a payload of at least an id, ending within what the index covers, whose id begins with `key`.
    /// The record's end, or nil (the entry is stale).
    static func framedEnd(offset: Int, head: UnsafeRawBufferPointer, key: UInt64, covered: Int) -> Int? {
        let length = Int(UInt32(littleEndian: head.loadUnaligned(as: UInt32.self)))
        let end = offset + 12 + length
        guard length >= 20, end <= covered, UInt64(bigEndian: head.loadUnaligned(fromByteOffset: 12, as: UInt64.self)) == key else { return nil }
        return end
    }

    /// The ranges (length field to the end of the payload) of the records of `wanted`, in its order,
    /// checking the framing of every record from `start` (after the header by default); nil when the
    /// file is not well formed. A record is matched on its id's first 8 bytes, then compared whole.
    /// `visit` sees every record's id prefix and offset.
    static func positions(_ bytes: UnsafeRawBufferPointer, wanted: [ObjectID], from start: Int? = nil,
                          visit: ((UInt64, Int) -> Void)? = nil) -> [Range<Int>?]? {
        guard bytes.starts(with: header) else { return nil }
        // First index asked with each prefix; further ones (the same id twice, or a shared prefix) apart.
        var first: [UInt64: Int] = [:]
        first.reserveCapacity(wanted.count)
        var more: [UInt64: [Int]] = [:]
        for (index, id) in wanted.enumerated() {
            let key = id.leadingWord
            if first[key] == nil { first[key] = index } else { more[key, default: []].append(index) }
        }
        var found = [Range<Int>?](repeating: nil, count: wanted.count)
        let complete = forEachRecord(bytes, from: start ?? header.count) { buffer, range in
            let key = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + 12, as: UInt64.self))
            visit?(key, range.lowerBound)
            guard let index = first[key] else { return }
            let stored = UnsafeRawBufferPointer(rebasing: buffer[(range.lowerBound + 12)..<(range.lowerBound + 32)])
            if wanted[index] == ObjectID(raw: stored) { found[index] = range }
            guard !more.isEmpty, let others = more[key] else { return }
            for candidate in others where wanted[candidate] == ObjectID(raw: stored) { found[candidate] = range }
        }
        return complete ? found : nil
    }

    /// The ranges (length field to the end of the payload) of every record, by id; nil when the file
    /// is not well formed.
    static func records(_ bytes: UnsafeRawBufferPointer) -> [ObjectID: Range<Int>]? {
        guard bytes.starts(with: header) else { return nil }
        var found: [ObjectID: Range<Int>] = [:]
        found.reserveCapacity(bytes.count / 300)
        let complete = forEachRecord(bytes) { buffer, range in
            found[ObjectID(raw: UnsafeRawBufferPointer(rebasing: buffer[(range.lowerBound + 12)..<(range.lowerBound + 32)]))] = range
        }
        return complete ? found : nil
    }

    /// Calls `body` with the range (length field to the end of the payload) of each record after the
    /// header, in order; false when a record's framing is broken (a torn append, damage).
    static func forEachRecord(_ buffer: UnsafeRawBufferPointer, from first: Int = header.count, _ body: (UnsafeRawBufferPointer, Range<Int>) -> Void) -> Bool {
        var start = first
        while start < buffer.count {
            guard buffer.count - start >= 12 else { return false }
            let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            let end = start + 12 + length
            guard length >= 20, end <= buffer.count else { return false }
            body(buffer, start..<end)
            start = end
        }
        return true
    }

    /// The summary in one record, if its checksum, contents and id agree.
    static func summary(in buffer: UnsafeRawBufferPointer, _ range: Range<Int>, id: ObjectID) -> ExperimentSummary? {
        let payload = UnsafeRawBufferPointer(rebasing: buffer[(range.lowerBound + 12)..<range.upperBound])
        let checksum = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + 4, as: UInt64.self))
        guard checksum == fnv(payload), let summary = SummaryRecordCoding.decode(payload), summary.experiment == id else { return nil }
        return summary
    }

    /// FNV-1a, 64 bits: the records' checksum (and other derived files').
    public static func fnv(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func record(_ summary: ExperimentSummary) -> [UInt8] {
        let payload = SummaryRecordCoding.encode(summary)
        var record: [UInt8] = []
        record.reserveCapacity(payload.count + 12)
        SummaryRecordCoding.append(UInt32(payload.count), to: &record)
        SummaryRecordCoding.append(payload.withUnsafeBytes(fnv), to: &record)
        return record + payload
    }

    /// Appends `summaries` (one write, so concurrent appenders do not interleave within a record), or
    /// writes the file anew from them when `whole`.
    private func store(_ summaries: [ExperimentSummary], whole: Bool) {
        var bytes: [UInt8] = whole ? Self.header : []
        var pairs: [(prefix: UInt64, offset: Int)] = []
        for summary in summaries.sorted(by: { $0.experiment.hex < $1.experiment.hex }) {
            pairs.append((summary.experiment.leadingWord, bytes.count))
            bytes += Self.record(summary)
        }
        guard let folder = try? journal.repository.privateDirectory() else { return }
        if whole {
            // The index describes the old file's layout: gone before the new file appears, and written
            // for the new one after (a record appended meanwhile is in the tail it does not cover).
            unlink(indexPath)
            if DerivedFile.replace(path, with: bytes, temporaryFolder: folder) {
                rewrite = false
                file = nil
                opened = false
                if pairs.count > SummaryCacheIndex.tailLimit { SummaryCacheIndex.write(pairs, covered: bytes.count, to: indexPath, temporaryFolder: folder) }
            }
        } else {
            _ = write(bytes, to: path, flags: O_WRONLY | O_APPEND)
        }
    }

    private func write(_ bytes: [UInt8], to file: String, flags: Int32) -> Bool {
        let descriptor = open(file, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return bytes.withUnsafeBytes { DescriptorWriting.writeAll(descriptor, $0) }
    }
}
