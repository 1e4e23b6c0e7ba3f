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
    /// The file's bytes, read once.
    private var file: [UInt8]?
    /// Summaries parsed or computed by this object.
    private var parsed: [ObjectID: ExperimentSummary] = [:]
    /// Whether the file on disk must be rewritten whole (it was damaged) rather than appended to.
    private var rewrite = false

    public init(journal: LabJournal) { self.journal = journal }

    /// The summaries of these experiments, from the cache where it has them and from the objects
    /// (then added to the cache) where it does not. An experiment the cache lacks and whose objects
    /// cannot be read (missing, corrupt) is left out.
    public func summaries(of experiments: [ObjectID]) -> [ObjectID: ExperimentSummary] {
        let records = ranges(of: experiments.filter { parsed[$0] == nil })
        var missing: [ExperimentSummary] = []
        var found: [ObjectID: ExperimentSummary] = [:]
        found.reserveCapacity(experiments.count)
        for id in experiments {
            if let summary = parsed[id] {
                found[id] = summary
                continue
            }
            if let range = records[id] {
                if let summary = file.flatMap({ Self.summary(in: $0, range, id: id) }) {
                    parsed[id] = summary
                    found[id] = summary
                    continue
                }
                // A damaged record: the whole file is written again from what is known.
                rewrite = true
            }
            guard let summary = try? ExperimentSummary(journal: journal, experiment: TreeID(id)) else { continue }
            parsed[id] = summary
            found[id] = summary
            missing.append(summary)
        }
        if rewrite {
            // Everything the old file held that still checks out, plus what was computed.
            var keep = parsed
            if let file, let all = Self.records(file, wanted: nil) {
                for (id, range) in all where keep[id] == nil {
                    if let summary = Self.summary(in: file, range, id: id) { keep[id] = summary }
                }
            }
            store(Array(keep.values), whole: true)
        } else if !missing.isEmpty {
            store(missing, whole: false)
        }
        return found
    }

    /// Where the records of these experiments are; empty (and the file marked for rewriting) when the
    /// file is missing, from another version, or not made of well-framed records.
    private func ranges(of wanted: [ObjectID]) -> [ObjectID: Range<Int>] {
        if file == nil {
            guard let bytes = FileReading.wholeFile(path) else {
                rewrite = true
                file = []
                return [:]
            }
            file = bytes
        }
        guard let records = Self.records(file!, wanted: wanted) else {
            rewrite = true
            return [:]
        }
        return records
    }

    /// The ranges (length field to the end of the payload) of the records of `wanted` (nil: of every
    /// record), checking the framing of every record; nil when the file is not well formed.
    /// Ids are matched on their first 8 bytes before being compared whole, so a pass over 100,000
    /// records allocates only for those asked for.
    static func records(_ bytes: [UInt8], wanted: [ObjectID]?) -> [ObjectID: Range<Int>]? {
        guard bytes.starts(with: header) else { return nil }
        var candidates: [UInt64: [ObjectID]] = [:]
        for id in wanted ?? [] { candidates[prefix(id.bytes), default: []].append(id) }
        var found: [ObjectID: Range<Int>] = [:]
        if wanted == nil { found.reserveCapacity(bytes.count / 300) }
        let complete: Bool = bytes.withUnsafeBytes { buffer in
            var start = header.count
            while start < buffer.count {
                guard buffer.count - start >= 12 else { return false }
                let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
                let end = start + 12 + length
                guard length >= 20, end <= buffer.count else { return false }
                let key = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: start + 12, as: UInt64.self))
                if wanted == nil || candidates[key] != nil {
                    let id = ObjectID(bytes: Array(buffer[(start + 12)..<(start + 32)]))
                    if wanted == nil || candidates[key]!.contains(id) { found[id] = start..<end }
                }
                start = end
            }
            return true
        }
        return complete ? found : nil
    }

    /// The first 8 bytes of an id as a number.
    static func prefix(_ bytes: [UInt8]) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The summary in one record, if its checksum, contents and id agree.
    static func summary(in bytes: [UInt8], _ range: Range<Int>, id: ObjectID) -> ExperimentSummary? {
        bytes.withUnsafeBytes { buffer in
            let payload = UnsafeRawBufferPointer(rebasing: buffer[(range.lowerBound + 12)..<range.upperBound])
            let checksum = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + 4, as: UInt64.self))
            guard checksum == fnv(payload), let summary = SummaryRecordCoding.decode(payload), summary.experiment == id else { return nil }
            return summary
        }
    }

    static func fnv(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
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
        for summary in summaries.sorted(by: { $0.experiment.hex < $1.experiment.hex }) { bytes += Self.record(summary) }
        guard let folder = try? journal.repository.privateDirectory() else { return }
        if whole {
            let temporary = folder + "/summaries.\(UUID().uuidString).tmp"
            if write(bytes, to: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC), rename(temporary, path) == 0 {
                rewrite = false
                file = nil
            } else {
                unlink(temporary)
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
