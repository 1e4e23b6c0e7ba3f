import Foundation
import JournalStore

/// The derived summary cache `.journal/xj/summaries`: experiment id → what the experiment table
/// shows (params, numeric metrics, status, dataset, flagged checks), so `xj runs` reads one file
/// instead of parsing every experiment's records. Experiment trees are immutable, so an entry never
/// goes stale; which experiments exist always comes from the run index, never from this file.
///
/// Format: a first line `xj-summaries 1`, then one line per experiment: its FNV-1a-64 checksum of
/// the JSON (16 hex digits), a space, the summary as canonical JSON. New summaries are appended in
/// one write; a file with any line that fails its checksum (a torn append, damage) is thrown away
/// and written again from the objects. Writing is best effort: a read-only journal still lists.
public final class ExperimentSummaryCache {
    static let header = Array("xj-summaries 1\n".utf8)
    private let journal: LabJournal
    private var path: String { journal.path + "/xj/summaries" }
    private var loaded: [ObjectID: ExperimentSummary]?
    /// Whether the file on disk must be rewritten whole (it was damaged) rather than appended to.
    private var rewrite = false

    public init(journal: LabJournal) { self.journal = journal }

    /// The summaries of these experiments, from the cache where it has them and from the objects
    /// (then added to the cache) where it does not. An experiment the cache lacks and whose objects
    /// cannot be read (missing, corrupt) is left out.
    public func summaries(of experiments: [ObjectID]) -> [ObjectID: ExperimentSummary] {
        var known = load()
        var missing: [ExperimentSummary] = []
        var found: [ObjectID: ExperimentSummary] = [:]
        found.reserveCapacity(experiments.count)
        for id in experiments {
            if let summary = known[id] {
                found[id] = summary
            } else {
                guard let summary = try? ExperimentSummary(journal: journal, experiment: TreeID(id)) else { continue }
                known[id] = summary
                found[id] = summary
                missing.append(summary)
            }
        }
        loaded = known
        if !missing.isEmpty || rewrite { store(rewrite ? Array(known.values) : missing, whole: rewrite) }
        return found
    }

    /// The file's summaries; empty (and marked for rewriting) when it is missing, from another
    /// version, or damaged anywhere.
    private func load() -> [ObjectID: ExperimentSummary] {
        if let loaded { return loaded }
        guard let bytes = RunIndex.readFile(path) else {
            rewrite = true
            return [:]
        }
        guard let parsed = Self.parse(bytes) else {
            rewrite = true
            return [:]
        }
        rewrite = false
        return parsed
    }

    static func parse(_ bytes: [UInt8]) -> [ObjectID: ExperimentSummary]? {
        guard bytes.starts(with: header) else { return nil }
        var summaries: [ObjectID: ExperimentSummary] = [:]
        var start = header.count
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")), end - start > 17, bytes[start + 16] == UInt8(ascii: " ") else { return nil }
            let json = Array(bytes[(start + 17)..<end])
            guard let checksum = UInt64(String(decoding: bytes[start..<(start + 16)], as: UTF8.self), radix: 16), checksum == fnv(json),
                  let value = try? JSONParser.parse(json, source: "summaries"), let summary = ExperimentSummary(json: value) else { return nil }
            summaries[summary.experiment] = summary
            start = end + 1
        }
        return summaries
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func line(_ summary: ExperimentSummary) -> [UInt8] {
        let json = CanonicalJSON.bytes(summary.json)
        let checksum = String(fnv(json), radix: 16)
        return Array((String(repeating: "0", count: 16 - checksum.count) + checksum + " ").utf8) + json + [UInt8(ascii: "\n")]
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
        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
    }
}
