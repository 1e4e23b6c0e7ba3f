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
    /// The file as last read for an in-place search, with the refs it covers, reused while no ref has moved.
    private var cachedFile: (references: [Reference], data: [UInt8])?

    public init(journal: LabJournal) { self.journal = journal }

    /// The refs the index covers, with their tips.
    func coveredReferences() throws -> [Reference] {
        // One pass over the refs (each listing re-reads the refs folder and packed-refs).
        let all = try journal.repository.references(matching: "refs/*")
        var heads: [Reference] = [], remotes: [Reference] = [], stage: [Reference] = []
        for reference in all {
            if reference.name.hasPrefix(JournalLayout.branchPrefix) { heads.append(reference) }
            else if reference.name.hasPrefix("refs/remotes/") && !reference.name.hasSuffix("/HEAD") { remotes.append(reference) }
            else if reference.name.hasPrefix(JournalLayout.remoteSweepPrefix) { remotes.append(reference) }
            else if reference.name.hasPrefix(JournalLayout.stagePrefix) || reference.name == JournalLayout.legacyStageReference { stage.append(reference) }
        }
        return heads + remotes + stage
    }

    // MARK: - Reading

    /// The index's content: the refs it covers (with the commits it saw) and its raw records, sorted
    /// by (run key, experiment id), `recordSize` bytes each, as in the file.
    public struct Snapshot: Sendable {
        public var references: [Reference]
        var records: [UInt8]

        public var count: Int { records.count / RunIndex.recordSize }

        /// Every entry, decoded.
        public var entries: [RunIndexEntry] {
            records.withUnsafeBytes { bytes in
                (0..<count).compactMap { index in
                    var reader = ByteReader(bytes: bytes, offset: index * RunIndex.recordSize)
                    return reader.entry(references: references)
                }
            }
        }
    }

    /// Reads the whole file; nil when it is missing or unreadable.
    func load() -> Snapshot? {
        guard let bytes = FileReading.wholeFile(path) else { return nil }
        return bytes.withUnsafeBytes { Self.parse($0) }
    }

    static func parseHeader(_ reader: inout ByteReader) -> [Reference]? {
        guard reader.take(8).map(Array.init) == magic, let referenceCount = reader.uint64(), referenceCount <= 10_000 else { return nil }
        var references: [Reference] = []
        for _ in 0..<referenceCount {
            guard let length = reader.uint64(), let name = reader.take(Int(length)), let target = reader.take(20) else { return nil }
            references.append(Reference(name: String(decoding: name, as: UTF8.self), target: ObjectID(bytes: Array(target))))
        }
        return references
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Snapshot? {
        var reader = ByteReader(bytes: bytes)
        guard let references = parseHeader(&reader), let count = reader.uint64(), reader.remaining == Int(count) * recordSize,
              let records = reader.take(reader.remaining) else { return nil }
        return Snapshot(references: references, records: Array(records))
    }

    // MARK: - Lookup

    /// The experiments recorded for a run key, after bringing the index up to date.
    /// When no ref moved, the file is binary-searched in place without decoding the other records.
    public func experiments(runKey: ObjectID) throws -> [RunIndexEntry] {
        let current = try coveredReferences()
        if cached?.references != current {
            if let file = cachedFile, file.references == current,
               let found = file.data.withUnsafeBytes({ Self.searchInPlace($0, runKey: runKey, expecting: current) }) {
                return found
            }
            if let bytes = FileReading.wholeFile(path),
               let found = bytes.withUnsafeBytes({ Self.searchInPlace($0, runKey: runKey, expecting: current) }) {
                cachedFile = (current, bytes)
                return found
            }
        }
        let snapshot = try refreshed()
        return snapshot.records.withUnsafeBytes { Self.search($0, references: snapshot.references, runKey: runKey) }
    }

    /// `experiments(runKey:)` for many run keys with one look at the refs (a sweep plans thousands of points).
    public func experiments(runKeys: [ObjectID]) throws -> [[RunIndexEntry]] {
        let current = try coveredReferences()
        if cached?.references != current, let bytes = cachedFile.flatMap({ $0.references == current ? $0.data : nil }) ?? FileReading.wholeFile(path) {
            let found = bytes.withUnsafeBytes { buffer in runKeys.map { Self.searchInPlace(buffer, runKey: $0, expecting: current) } }
            if found.allSatisfy({ $0 != nil }) {
                cachedFile = (current, bytes)
                return found.map { $0! }
            }
        }
        let snapshot = cached?.references == current ? cached! : try refreshed()
        return snapshot.records.withUnsafeBytes { buffer in runKeys.map { Self.search(buffer, references: snapshot.references, runKey: $0) } }
    }

    /// `recordedExperiments(runKey:)` for many run keys with one look at the refs.
    public func recordedExperiments(runKeys: [ObjectID]) throws -> [[RunIndexEntry]] {
        try experiments(runKeys: runKeys).map { try intact($0) }
    }

    /// The experiments of a run key whose objects are really there: the index is a cache, and a cache
    /// must never answer for data that is gone. Each listed experiment's tree, `run.json` and metrics
    /// blob are read and hash-checked; one that is missing or corrupt counts as not run and is added to
    /// `journal.damagedExperiments`.
    public func recordedExperiments(runKey: ObjectID) throws -> [RunIndexEntry] {
        try intact(try experiments(runKey: runKey))
    }

    /// The entries whose experiment tree, `run.json` and metrics blob are present and hash-check.
    private func intact(_ entries: [RunIndexEntry]) throws -> [RunIndexEntry] {
        entries.filter { entry in
            let repository = journal.repository
            let tree = TreeID(entry.experiment)
            func intactBlob(_ path: String, required: Bool) -> Bool {
                do {
                    guard let found = try repository.entry(at: path, in: tree) else { return !required }
                    return try repository.verify(found.id).0 == .blob
                } catch {
                    return false
                }
            }
            let intact = (try? repository.verify(entry.experiment))?.0 == .tree
                && intactBlob("run.json", required: true) && intactBlob("results/metrics.json", required: false)
            if !intact, !journal.damagedExperiments.contains(entry) { journal.damagedExperiments.append(entry) }
            return intact
        }
    }

    /// Every entry, after bringing the index up to date, sorted by run key.
    public func allEntries() throws -> [RunIndexEntry] { try refreshed().entries }

    /// Binary search over the records of an up-to-date file; nil when the file is unreadable or stale.
    static func searchInPlace(_ bytes: UnsafeRawBufferPointer, runKey: ObjectID, expecting current: [Reference]) -> [RunIndexEntry]? {
        var reader = ByteReader(bytes: bytes)
        guard let references = parseHeader(&reader), references == current, let count = reader.uint64(),
              reader.remaining == Int(count) * recordSize, let records = reader.take(reader.remaining) else { return nil }
        return search(records, references: references, runKey: runKey)
    }

    /// The records with `runKey`, by binary search over raw sorted records.
    static func search(_ records: UnsafeRawBufferPointer, references: [Reference], runKey: ObjectID) -> [RunIndexEntry] {
        let count = records.count / recordSize
        var low = lowerBound(records, runKey.bytes, count: count, keyLength: 20)
        var found: [RunIndexEntry] = []
        while low < count && key(records, low, length: 20).elementsEqual(runKey.bytes) {
            var reader = ByteReader(bytes: records, offset: low * recordSize)
            if let entry = reader.entry(references: references) { found.append(entry) }
            low += 1
        }
        return found
    }

    static func key(_ records: UnsafeRawBufferPointer, _ index: Int, length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: records[(index * recordSize)..<(index * recordSize + length)])
    }

    /// The first record whose leading `keyLength` bytes are not below `wanted`.
    static func lowerBound(_ records: UnsafeRawBufferPointer, _ wanted: [UInt8], count: Int, keyLength: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if key(records, middle, length: keyLength).lexicographicallyPrecedes(wanted) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    // MARK: - Updating

    /// The index as of the current refs: loaded, updated for the refs that moved, and saved if it changed.
    ///
    /// Works on the raw records: ref bits are remapped in place, each moved ref's tree is diffed against
    /// the tree the index saw (a new ref against an indexed ref, whose bit it starts from), and the few
    /// new records are merged into the sorted array, so the cost follows the change, not the index.
    @discardableResult
    public func refreshed() throws -> Snapshot {
        let current = Array(try coveredReferences().prefix(Self.maximumReferences))
        if let cached, cached.references == current { return cached }
        let old = load() ?? Snapshot(references: [], records: [])
        if old.references == current {
            cached = old
            return old
        }
        var records = old.records
        let count = old.count
        let newPosition = Dictionary(current.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldPosition = Dictionary(old.references.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        // A new ref starts as a copy of an indexed one (branches mostly share their experiments).
        let donor = old.references.first { newPosition[$0.name] != nil } ?? old.references.first
        var bitMap = [(from: UInt64, to: UInt64)]()
        for (name, oldIndex) in oldPosition { if let newIndex = newPosition[name] { bitMap.append((1 << UInt64(oldIndex), 1 << UInt64(newIndex))) } }
        // Remapping touches every record, so it is done only when the set of refs changed.
        if old.references.map(\.name) != current.map(\.name) {
            var copies: UInt64 = 0
            var donorBit: UInt64 = 0
            if let donor, let donorIndex = oldPosition[donor.name] {
                for reference in current where oldPosition[reference.name] == nil { copies |= 1 << UInt64(newPosition[reference.name]!) }
                donorBit = 1 << UInt64(donorIndex)
            }
            remap(&records, count: count, bitMap: bitMap, donorBit: donorBit, copies: copies)
        }

        var additions: [ObjectID: (ObjectID, UInt64)] = [:]
        var emptied: [Int] = []
        for reference in current {
            let bit: UInt64 = 1 << UInt64(newPosition[reference.name]!)
            let previousTip: ObjectID?
            if let index = oldPosition[reference.name] {
                previousTip = old.references[index].target
                if previousTip == reference.target { continue }
            } else {
                previousTip = donor?.target
            }
            let oldTree = try previousTip.flatMap { try? journal.repository.commit(CommitID($0)).tree }
            let newTree = try journal.repository.commit(CommitID(reference.target)).tree
            for change in try journal.changes(from: oldTree, to: newTree) where change.record.category == JournalLayout.experiments {
                let parts = change.record.path.split(separator: "/")
                guard parts.count == 4, let key = ObjectID(hex: String(parts[2])), let id = ObjectID(hex: String(parts[3])) else { continue }
                let position = records.withUnsafeBytes { Self.find($0, key: key, experiment: id) }
                switch change.kind {
                case .removed:
                    if let position {
                        Self.updateMask(&records, position) { $0 & ~bit }
                        emptied.append(position)
                    }
                case .added, .changed:
                    if let position {
                        Self.updateMask(&records, position) { $0 | bit }
                    } else {
                        additions[id, default: (key, 0)].1 |= bit
                    }
                }
            }
        }
        var added: [[UInt8]] = []
        for (id, (key, mask)) in additions {
            let summary = try summary(runKey: key, experiment: id)
            added.append(Self.encode(summary, mask: mask))
        }
        // Few records change per update: drop the ones no ref holds any more and insert the new ones
        // in place, rather than rewriting the array record by record.
        for position in Set(emptied).sorted(by: >) where Self.mask(records, position) & ~Self.r2Flag == 0 {
            records.removeSubrange((position * Self.recordSize)..<((position + 1) * Self.recordSize))
        }
        for record in added {
            let position = records.withUnsafeBytes { Self.lowerBound($0, Array(record[0..<40]), count: $0.count / Self.recordSize, keyLength: 40) }
            records.insert(contentsOf: record, at: position * Self.recordSize)
        }
        let snapshot = Snapshot(references: current, records: records)
        try save(snapshot)
        cached = snapshot
        return snapshot
    }

    /// Moves each record's ref bits to their new positions, gives new refs the donor's bit, and drops
    /// records no ref holds any more.
    private func remap(_ records: inout [UInt8], count: Int, bitMap: [(from: UInt64, to: UInt64)], donorBit: UInt64, copies: UInt64) {
        var kept: [UInt8] = []
        kept.reserveCapacity(records.count)
        records.withUnsafeMutableBytes { bytes in
            for index in 0..<count {
                let offset = index * Self.recordSize + Self.recordSize - 8
                let mask = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                var updated = mask & Self.r2Flag
                for (from, to) in bitMap where mask & from != 0 { updated |= to }
                if donorBit != 0 && mask & donorBit != 0 { updated |= copies }
                bytes.storeBytes(of: updated.littleEndian, toByteOffset: offset, as: UInt64.self)
            }
        }
        records.withUnsafeBytes { bytes in
            for index in 0..<count {
                let record = bytes[(index * Self.recordSize)..<((index + 1) * Self.recordSize)]
                let mask = UInt64(littleEndian: UnsafeRawBufferPointer(rebasing: record).loadUnaligned(fromByteOffset: Self.recordSize - 8, as: UInt64.self))
                if mask & ~Self.r2Flag != 0 { kept.append(contentsOf: record) }
            }
        }
        records = kept
    }

    private static func find(_ records: UnsafeRawBufferPointer, key: ObjectID, experiment: ObjectID) -> Int? {
        let wanted = key.bytes + experiment.bytes
        let count = records.count / recordSize
        let position = lowerBound(records, wanted, count: count, keyLength: 40)
        return position < count && Self.key(records, position, length: 40).elementsEqual(wanted) ? position : nil
    }

    private static func updateMask(_ records: inout [UInt8], _ position: Int, _ change: (UInt64) -> UInt64) {
        records.withUnsafeMutableBytes { bytes in
            let offset = position * recordSize + recordSize - 8
            let mask = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            bytes.storeBytes(of: change(mask).littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }

    private static func mask(_ records: [UInt8], _ position: Int) -> UInt64 {
        records.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: position * recordSize + recordSize - 8, as: UInt64.self)) }
    }

    private static func encode(_ entry: RunIndexEntry, mask: UInt64) -> [UInt8] {
        var bytes = entry.runKey.bytes + entry.experiment.bytes
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(entry.started.bitPattern)
        append(entry.validationLoss.bitPattern)
        append(entry.validationScore.bitPattern)
        append(mask | (entry.scoreIsR2 ? r2Flag : 0))
        return bytes
    }

    /// Throws away the file and builds it again from the objects.
    @discardableResult
    public func rebuild() throws -> Snapshot {
        unlink(path)
        cached = nil
        cachedFile = nil
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
        let started = run["started"]?.stringValue.flatMap(RunTimestamp.date)?.timeIntervalSince1970 ?? 0
        let accuracy = metrics["val_accuracy"]?.numberValue
        let score = accuracy ?? metrics["val_r2"]?.numberValue ?? .nan
        return RunIndexEntry(runKey: runKey, experiment: experiment, started: started, validationLoss: metrics["val_loss"]?.numberValue ?? .nan,
                             validationScore: score, scoreIsR2: accuracy == nil && metrics["val_r2"] != nil, references: [])
    }

    private func save(_ snapshot: Snapshot) throws {
        var header = Self.magic
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { header += $0 } }
        append(UInt64(snapshot.references.count))
        for reference in snapshot.references {
            append(UInt64(reference.name.utf8.count))
            header += Array(reference.name.utf8)
            header += reference.target.bytes
        }
        append(UInt64(snapshot.count))
        let folder = try journal.repository.privateDirectory()
        let temporary = folder + "/runindex.\(UUID().uuidString).tmp"
        // Written straight from the two buffers (no concatenated copy), then renamed into place.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        var written = descriptor >= 0
        for part in [header, snapshot.records] where written {
            written = part.withUnsafeBytes { DescriptorWriting.writeAll(descriptor, $0) }
        }
        if descriptor >= 0 { close(descriptor) }
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw JournalError.unreadable(path: path, reason: "cannot write the run index")
        }
    }

}
