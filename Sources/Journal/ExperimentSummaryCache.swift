import Foundation
import JournalStore

/// The derived summary cache `.journal/xj/summaries`: experiment id → what the experiment table
/// shows (params, numeric metrics, status, dataset, flagged checks), so `xj runs` reads one file
/// instead of parsing every experiment's records. Experiment trees are immutable, so an entry never
/// goes stale; which experiments exist always comes from the run index, never from this file.
///
/// Format: a first line `xj-summaries 3`, then one line per experiment: the FNV-1a-64 checksum of
/// the JSON (16 hex digits), a space, the experiment id (40 hex digits), a space, the summary as
/// canonical JSON. Reading indexes the lines by id and parses only the summaries asked for, so a
/// table of 20 rows out of 100,000 parses 20. New summaries are appended in one write; a file whose
/// structure is broken, or a line asked for that fails its checksum (a torn append, damage), is
/// thrown away and written again from the objects. Writing is best effort: a read-only journal still lists.
public final class ExperimentSummaryCache {
    static let header = Array("xj-summaries 3\n".utf8)
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
        let lines = ranges(of: experiments.filter { parsed[$0] == nil })
        var missing: [ExperimentSummary] = []
        var found: [ObjectID: ExperimentSummary] = [:]
        found.reserveCapacity(experiments.count)
        for id in experiments {
            if let summary = parsed[id] {
                found[id] = summary
                continue
            }
            if let range = lines[id] {
                if let summary = file.flatMap({ Self.summary(in: $0, range, id: id) }) {
                    parsed[id] = summary
                    found[id] = summary
                    continue
                }
                // A damaged line: the whole file is written again from what is known.
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
            if let file, let all = Self.lines(file, wanted: nil) {
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

    /// Where the lines of these experiments are; empty (and the file marked for rewriting) when the
    /// file is missing, from another version, or not made of well-formed lines.
    private func ranges(of wanted: [ObjectID]) -> [ObjectID: Range<Int>] {
        if file == nil {
            guard let bytes = FileReading.wholeFile(path) else {
                rewrite = true
                file = []
                return [:]
            }
            file = bytes
        }
        guard let lines = Self.lines(file!, wanted: wanted) else {
            rewrite = true
            return [:]
        }
        return lines
    }

    /// The ranges (checksum to the end of the JSON) of the lines of `wanted` (nil: of every line),
    /// checking the structure of every line; nil when the file is not well formed.
    /// Ids are matched on their first 8 bytes before being decoded, so a pass over 100,000 lines
    /// allocates only for the lines asked for.
    static func lines(_ bytes: [UInt8], wanted: [ObjectID]?) -> [ObjectID: Range<Int>]? {
        guard bytes.starts(with: header) else { return nil }
        var candidates: [UInt64: [ObjectID]] = [:]
        for id in wanted ?? [] { candidates[prefix(id.bytes), default: []].append(id) }
        var found: [ObjectID: Range<Int>] = [:]
        let complete: Bool = bytes.withUnsafeBufferPointer { buffer in
            var start = header.count
            let count = buffer.count
            while start < count {
                guard let newline = memchr(buffer.baseAddress! + start, 0x0a, count - start) else { return false }
                let end = buffer.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                guard end - start > 58, buffer[start + 16] == UInt8(ascii: " "), buffer[start + 57] == UInt8(ascii: " ") else { return false }
                guard let key = hexPrefix(buffer, at: start + 17) else { return false }
                if wanted == nil || candidates[key] != nil {
                    guard let id = ObjectID(hex: String(decoding: UnsafeBufferPointer(rebasing: buffer[(start + 17)..<(start + 57)]), as: UTF8.self)) else { return false }
                    if wanted == nil || candidates[key]!.contains(id) { found[id] = start..<end }
                }
                start = end + 1
            }
            return true
        }
        return complete ? found : nil
    }

    /// The first 8 bytes of an id as a number.
    static func prefix(_ bytes: [UInt8]) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The first 16 hex digits at `offset` as a number (the first 8 bytes of the id); nil if not hex.
    static func hexPrefix(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64? {
        var value: UInt64 = 0
        for position in offset..<(offset + 16) {
            let byte = buffer[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// The summary on one line, if its checksum, JSON and id agree.
    static func summary(in bytes: [UInt8], _ range: Range<Int>, id: ObjectID) -> ExperimentSummary? {
        let json = Array(bytes[(range.lowerBound + 58)..<range.upperBound])
        guard let checksum = UInt64(String(decoding: bytes[range.lowerBound..<(range.lowerBound + 16)], as: UTF8.self), radix: 16),
              checksum == fnv(json), let value = try? JSONParser.parse(json, source: "summaries"),
              let summary = ExperimentSummary(json: value), summary.experiment == id else { return nil }
        return summary
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func line(_ summary: ExperimentSummary) -> [UInt8] {
        let json = CanonicalJSON.bytes(summary.json)
        let checksum = String(fnv(json), radix: 16)
        return Array((String(repeating: "0", count: 16 - checksum.count) + checksum + " " + summary.experiment.hex + " ").utf8) + json + [UInt8(ascii: "\n")]
    }

    /// Appends `summaries` (one write, so concurrent appenders do not interleave within a line), or
    /// writes the file anew from them when `whole`.
    private func store(_ summaries: [ExperimentSummary], whole: Bool) {
        var bytes: [UInt8] = whole ? Self.header : []
        for summary in summaries.sorted(by: { $0.experiment.hex < $1.experiment.hex }) { bytes += Self.line(summary) }
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
