import Foundation
import JournalStore

/// The derived run index `.journal/xj/runindex`: run key → experiments, across every branch,
/// remote-tracking branch and the stage. Never the only copy of anything: it is rebuilt from the
/// objects when missing, unreadable or made by another version, and brought up to date
/// incrementally when refs move (only the trees that changed are read).
///
/// File layout (little-endian): magic `XJRUNIX1`; ref count; per ref its name (length + UTF-8)
/// and the commit it was indexed at; record count; records sorted by run key, then experiment, each
/// 20-byte run key, 20-byte experiment id, started, val_loss, val_score (float64) and a 64-bit mask
/// of the refs holding it (bit i = i-th ref; bit 63 set when the score is val_r2). A lookup maps the file and binary-searches it.
public final class RunIndex {
    static let magic = Array("XJRUNIX1".utf8)
    static let recordSize = 20 + 20 + 8 * 4
    static let maximumReferences = 63
    /// Bit 63 of a record's mask: the score is val_r2.
    static let r2Flag: UInt64 = 1 << 63

    private let journal: LabJournal
    private var path: String { journal.path + "/xj/runindex" }
    /// The last snapshot this object read or wrote, reused while no ref has moved.
    private var cached: Snapshot?

    public init(journal: LabJournal) { self.journal = journal }

    /// The refs the index covers, with their tips.
    func coveredReferences() throws -> [Reference] {
        let repository = journal.repository
        var references = try repository.references(matching: JournalLayout.branchPrefix + "*")
        references += try repository.references(matching: "refs/remotes/*").filter { !$0.name.hasSuffix("/HEAD") }
        if let stage = try repository.referenceTarget(JournalLayout.stageReference) {
            references.append(Reference(name: JournalLayout.stageReference, target: stage))
        }
        return references
    }

    // MARK: - Reading

    /// The index's content: the refs it covers (with the commits it saw) and its entries sorted by run key.
    public struct Snapshot: Sendable {
        public var references: [Reference]
        public var entries: [RunIndexEntry]
    }

    /// Reads the whole file; nil when it is missing or unreadable.
    func load() -> Snapshot? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { Self.parse($0) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Snapshot? {
        var reader = ByteReader(bytes: bytes)
        guard reader.take(8).map(Array.init) == magic, let referenceCount = reader.uint64() else { return nil }
        var references: [Reference] = []
        for _ in 0..<referenceCount {
            guard let length = reader.uint64(), let name = reader.take(Int(length)), let target = reader.take(20) else { return nil }
            references.append(Reference(name: String(decoding: name, as: UTF8.self), target: ObjectID(bytes: Array(target))))
        }
        guard let count = reader.uint64(), reader.remaining == Int(count) * recordSize else { return nil }
        var entries: [RunIndexEntry] = []
        entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let entry = reader.entry(references: references) else { return nil }
            entries.append(entry)
        }
        return Snapshot(references: references, entries: entries)
    }

    // MARK: - Lookup

    /// The experiments recorded for a run key, after bringing the index up to date.
    /// When no ref moved, the file is binary-searched in place without decoding the other records.
    public func experiments(runKey: ObjectID) throws -> [RunIndexEntry] {
        let current = try coveredReferences()
        if let cached, cached.references == current { return Self.search(cached.entries, runKey: runKey) }
        if let data = FileManager.default.contents(atPath: path),
           let found = data.withUnsafeBytes({ Self.searchInPlace($0, runKey: runKey, expecting: current) }) {
            return found
        }
        return Self.search(try refreshed().entries, runKey: runKey)
    }

    /// Binary search over the records of an up-to-date file; nil when the file is unreadable or stale.
    static func searchInPlace(_ bytes: UnsafeRawBufferPointer, runKey: ObjectID, expecting current: [Reference]) -> [RunIndexEntry]? {
        var reader = ByteReader(bytes: bytes)
        guard reader.take(8).map(Array.init) == magic, let referenceCount = reader.uint64() else { return nil }
        var references: [Reference] = []
        for _ in 0..<referenceCount {
            guard let length = reader.uint64(), let name = reader.take(Int(length)), let target = reader.take(20) else { return nil }
            references.append(Reference(name: String(decoding: name, as: UTF8.self), target: ObjectID(bytes: Array(target))))
        }
        guard references == current, let count = reader.uint64(), reader.remaining == Int(count) * recordSize else { return nil }
        let start = reader.offset
        let key = runKey.bytes
        func keyAt(_ index: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[(start + index * recordSize)..<(start + index * recordSize + 20)])
        }
        var low = 0, high = Int(count)
        while low < high {
            let middle = (low + high) / 2
            if keyAt(middle).lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        var found: [RunIndexEntry] = []
        while low < Int(count) && keyAt(low).elementsEqual(key) {
            var record = ByteReader(bytes: bytes, offset: start + low * recordSize)
            guard let entry = record.entry(references: references) else { return nil }
            found.append(entry)
            low += 1
        }
        return found
    }

    /// Every entry, after bringing the index up to date, sorted by run key.
    public func allEntries() throws -> [RunIndexEntry] { try refreshed().entries }

    static func search(_ entries: [RunIndexEntry], runKey: ObjectID) -> [RunIndexEntry] {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].runKey < runKey { low = middle + 1 } else { high = middle }
        }
        var found: [RunIndexEntry] = []
        while low < entries.count && entries[low].runKey == runKey {
            found.append(entries[low])
            low += 1
        }
        return found
    }

    // MARK: - Updating

    /// The index as of the current refs: loaded, updated for the refs that moved, and saved if it changed.
    @discardableResult
    public func refreshed() throws -> Snapshot {
        let current = try coveredReferences()
        if let cached, cached.references == current { return cached }
        var snapshot = load() ?? Snapshot(references: [], entries: [])
        if snapshot.references == current {
            cached = snapshot
            return snapshot
        }
        var byExperiment: [ObjectID: RunIndexEntry] = [:]
        for entry in snapshot.entries { byExperiment[entry.experiment] = entry }
        let previous = Dictionary(snapshot.references.map { ($0.name, $0.target) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(current.map { ($0.name, $0.target) }, uniquingKeysWith: { first, _ in first })
        for name in Set(previous.keys).union(now.keys).sorted() where previous[name] != now[name] {
            let oldTree = try previous[name].flatMap { try? journal.repository.commit(CommitID($0)).tree }
            let newTree = try now[name].map { try journal.repository.commit(CommitID($0)).tree }
            // A ref whose old commit is gone (e.g. after gc) is re-read from an empty tree.
            let changes = try journal.changes(from: oldTree, to: newTree).filter { $0.record.category == JournalLayout.experiments }
            for change in changes {
                let parts = change.record.path.split(separator: "/")
                guard parts.count == 4, let key = ObjectID(hex: String(parts[2])), let id = ObjectID(hex: String(parts[3])) else { continue }
                switch change.kind {
                case .removed:
                    byExperiment[id]?.references.removeAll { $0 == name }
                case .added, .changed:
                    if byExperiment[id] == nil { byExperiment[id] = try summary(runKey: key, experiment: id) }
                    if !byExperiment[id]!.references.contains(name) { byExperiment[id]!.references.append(name) }
                }
            }
            if now[name] == nil { for id in byExperiment.keys { byExperiment[id]!.references.removeAll { $0 == name } } }
        }
        let entries = byExperiment.values.filter { !$0.references.isEmpty }
            .map { entry -> RunIndexEntry in
                var sorted = entry
                sorted.references.sort()
                return sorted
            }
            .sorted { ($0.runKey, $0.experiment) < ($1.runKey, $1.experiment) }
        snapshot = Snapshot(references: current, entries: entries)
        try save(snapshot)
        cached = snapshot
        return snapshot
    }

    /// Throws away the file and builds it again from the objects.
    @discardableResult
    public func rebuild() throws -> Snapshot {
        unlink(path)
        cached = nil
        return try refreshed()
    }

    private func summary(runKey: ObjectID, experiment: ObjectID) throws -> RunIndexEntry {
        let tree = TreeID(experiment)
        let repository = journal.repository
        func object(_ path: String) -> [String: JSONValue] {
            guard let entry = try? repository.entry(at: path, in: tree), let bytes = try? repository.blob(BlobID(entry.id)),
                  let value = try? JSONParser.parse(bytes, source: path) else { return [:] }
            return value.objectValue ?? [:]
        }
        let metrics = object("results/metrics.json")
        let run = object("run.json")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let started = run["started"]?.stringValue.flatMap { formatter.date(from: $0) }?.timeIntervalSince1970 ?? 0
        let accuracy = metrics["val_accuracy"]?.numberValue
        let score = accuracy ?? metrics["val_r2"]?.numberValue ?? .nan
        return RunIndexEntry(runKey: runKey, experiment: experiment, started: started, validationLoss: metrics["val_loss"]?.numberValue ?? .nan,
                             validationScore: score, scoreIsR2: accuracy == nil && metrics["val_r2"] != nil, references: [])
    }

    private func save(_ snapshot: Snapshot) throws {
        let references = snapshot.references.prefix(Self.maximumReferences)
        var position: [String: Int] = [:]
        for (index, reference) in references.enumerated() { position[reference.name] = index }
        var bytes = Self.magic
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func append(_ value: Double) { append(value.bitPattern) }
        append(UInt64(references.count))
        for reference in references {
            append(UInt64(reference.name.utf8.count))
            bytes += Array(reference.name.utf8)
            bytes += reference.target.bytes
        }
        append(UInt64(snapshot.entries.count))
        for entry in snapshot.entries {
            bytes += entry.runKey.bytes
            bytes += entry.experiment.bytes
            append(entry.started)
            append(entry.validationLoss)
            append(entry.validationScore)
            var mask: UInt64 = entry.scoreIsR2 ? Self.r2Flag : 0
            for name in entry.references { if let bit = position[name] { mask |= 1 << UInt64(bit) } }
            append(mask)
        }
        let folder = try journal.repository.privateDirectory()
        let temporary = folder + "/runindex.\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)), rename(temporary, path) == 0 else {
            unlink(temporary)
            throw JournalError.unreadable(path: path, reason: "cannot write the run index")
        }
    }
}

/// Sequential little-endian reads over a buffer, returning nil past its end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    mutating func uint64() -> UInt64? {
        take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    mutating func entry(references: [Reference]) -> RunIndexEntry? {
        guard let key = take(20), let id = take(20), let started = uint64(), let loss = uint64(), let score = uint64(), let mask = uint64() else { return nil }
        let names = references.indices.filter { $0 < 63 && mask & (1 << UInt64($0)) != 0 }.map { references[$0].name }
        return RunIndexEntry(runKey: ObjectID(bytes: Array(key)), experiment: ObjectID(bytes: Array(id)), started: Double(bitPattern: started),
                             validationLoss: Double(bitPattern: loss), validationScore: Double(bitPattern: score),
                             scoreIsR2: mask & RunIndex.r2Flag != 0, references: names)
    }
}
