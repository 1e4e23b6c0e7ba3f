import Foundation
import JournalStore

/// The derived run index `.journal/xj/runindex`: run key → experiments, across every branch,
/// remote-tracking branch and the stage. Never the only copy of anything: it is rebuilt from the
/// objects when missing, unreadable or made by another version, and brought up to date
/// incrementally when refs move (only the trees that changed are read).
///
/// Two files (little-endian; FORMAT.md). The base `runindex`: magic `XJRUNIX2`, a 16-byte
/// generation, ref count, per ref its name (length + UTF-8) and the commit it was indexed at, record
/// count, records sorted by run key, then experiment, each 20-byte run key, 20-byte experiment id,
/// started, val_loss, val_score (float64) and a 64-bit mask of the refs holding it (bit i = i-th ref;
/// bit 63 set when the score is val_r2). The delta `runindex.delta` (magic `XJRUNID1`, the base's
/// generation, the current refs, 64 masks saying which current refs each base bit now stands for,
/// then the records changed or added since the base, sorted, with current masks; a mask with no ref
/// bit removes the base's record). An update rewrites only the small delta, so its cost follows the
/// change, not the index; the delta is folded into a new base once it holds an eighth of it. A delta
/// whose generation is not the base's is ignored (a fold by another process replaced the base).
public final class RunIndex {
    static let magic = Array("XJRUNIX2".utf8)
    static let deltaMagic = Array("XJRUNID1".utf8)
    static let recordSize = 20 + 20 + 8 * 4
    static let maximumReferences = 63
    /// Bit 63 of a record's mask: the score is val_r2.
    static let r2Flag: UInt64 = 1 << 63
    static let referenceBits: UInt64 = ~r2Flag
    /// The delta is folded into the base when it holds more records than this and an eighth of the base.
    var deltaFoldMinimum = 2_048

    private let journal: LabJournal
    private var path: String { journal.path + "/xj/runindex" }
    private var deltaPath: String { journal.path + "/xj/runindex.delta" }
    /// The last snapshot this object read or wrote, reused while no ref has moved.
    private var cached: Snapshot?

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

    /// The index's content: the refs it covers (with the commits it saw), the base's sorted records
    /// (masks in the base's ref numbering, translated by `baseMap`) and the delta's sorted records.
    public struct Snapshot: Sendable {
        public var references: [Reference]
        /// The base file this snapshot builds on.
        let generation: [UInt8]
        let baseFile: MappedFile
        let baseRange: Range<Int>
        /// For each base ref bit, the current ref bits it stands for.
        var baseMap: [UInt64]
        /// Records changed or added since the base, sorted by (run key, experiment), with current masks.
        var delta: [UInt8]

        var baseRecords: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: baseFile.bytes[baseRange]) }
        var baseCount: Int { baseRange.count / RunIndex.recordSize }
        var deltaCount: Int { delta.count / RunIndex.recordSize }

        static func empty() -> Snapshot {
            Snapshot(references: [], generation: RunIndex.newGeneration(), baseFile: MappedFile(copying: []), baseRange: 0..<0,
                     baseMap: RunIndex.identityMap, delta: [])
        }

        /// A base record's mask in the current ref numbering.
        func currentMask(ofBase mask: UInt64) -> UInt64 { RunIndex.translate(mask, through: baseMap) }

        /// Every record held by some ref, in order, with its current mask.
        func forEachRecord(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) {
            let base = baseRecords
            delta.withUnsafeBytes { delta in
                let baseCount = base.count / RunIndex.recordSize, deltaCount = delta.count / RunIndex.recordSize
                var b = 0, d = 0
                while b < baseCount || d < deltaCount {
                    let fromDelta: Bool
                    if b == baseCount { fromDelta = true }
                    else if d == deltaCount { fromDelta = false }
                    else {
                        let baseKey = RunIndex.key(base, b, length: 40), deltaKey = RunIndex.key(delta, d, length: 40)
                        if baseKey.elementsEqual(deltaKey) { b += 1; fromDelta = true }
                        else { fromDelta = deltaKey.lexicographicallyPrecedes(baseKey) }
                    }
                    let record: UnsafeRawBufferPointer, mask: UInt64
                    if fromDelta {
                        record = RunIndex.record(delta, d); mask = RunIndex.storedMask(record); d += 1
                    } else {
                        record = RunIndex.record(base, b); mask = currentMask(ofBase: RunIndex.storedMask(record)); b += 1
                    }
                    if mask & RunIndex.referenceBits != 0 { body(record, mask) }
                }
            }
        }

        /// Every entry, decoded, sorted by (run key, experiment).
        public var entries: [RunIndexEntry] { entries(where: nil) }

        /// The entries whose run key or experiment id starts with the hexadecimal `prefix`, matched on
        /// the raw records so that the others are never decoded.
        public func entries(withHexPrefix prefix: String) -> [RunIndexEntry] {
            let digits = Array(prefix.lowercased().utf8)
            return entries { record in
                ObjectID.hexPrefix(digits, matches: UnsafeRawBufferPointer(rebasing: record[0..<20]))
                    || ObjectID.hexPrefix(digits, matches: UnsafeRawBufferPointer(rebasing: record[20..<40]))
            }
        }

        /// The entries held by any of these refs (full names), matched on each record's ref bits so
        /// that the others are never decoded.
        public func entries(heldBy wanted: Set<String>) -> [RunIndexEntry] {
            entries(where: nil, heldBy: { $0.contains(where: wanted.contains) })
        }

        func entries(where keep: ((UnsafeRawBufferPointer) -> Bool)?, heldBy held: (([String]) -> Bool)? = nil) -> [RunIndexEntry] {
            var found: [RunIndexEntry] = []
            if keep == nil { found.reserveCapacity(baseCount + deltaCount) }
            // Few masks occur (one per combination of refs): their ref names, and whether `held`
            // takes them, are worked out once each.
            var names: [UInt64: [String]?] = [:]
            forEachRecord { record, mask in
                if let keep, !keep(record) { return }
                let referenceNames = names[mask] ?? {
                    let built = RunIndex.referenceNames(mask, references)
                    let taken = held.map { $0(built) } ?? true ? built : nil
                    names[mask] = taken
                    return taken
                }()
                guard let referenceNames else { return }
                found.append(RunIndex.decode(record, mask: mask, names: referenceNames))
            }
            return found
        }

        /// The entries of one run key, by binary search in the base and the delta.
        func search(runKey: ObjectID) -> [RunIndexEntry] {
            var masks: [(record: UnsafeRawBufferPointer, mask: UInt64)] = []
            let base = baseRecords
            delta.withUnsafeBytes { delta in
                let wanted = runKey.bytes
                var d = RunIndex.lowerBound(delta, wanted, count: delta.count / RunIndex.recordSize, keyLength: 20)
                var overridden: [[UInt8]] = []
                while d < delta.count / RunIndex.recordSize && RunIndex.key(delta, d, length: 20).elementsEqual(wanted) {
                    let record = RunIndex.record(delta, d)
                    overridden.append(Array(record[0..<40]))
                    masks.append((record, RunIndex.storedMask(record)))
                    d += 1
                }
                var b = RunIndex.lowerBound(base, wanted, count: base.count / RunIndex.recordSize, keyLength: 20)
                while b < base.count / RunIndex.recordSize && RunIndex.key(base, b, length: 20).elementsEqual(wanted) {
                    let record = RunIndex.record(base, b)
                    if !overridden.contains(where: { $0.elementsEqual(record[0..<40]) }) {
                        masks.append((record, currentMask(ofBase: RunIndex.storedMask(record))))
                    }
                    b += 1
                }
                masks.sort { $0.record[20..<40].lexicographicallyPrecedes($1.record[20..<40]) }
            }
            return masks.filter { $0.mask & RunIndex.referenceBits != 0 }.map { RunIndex.decode($0.record, mask: $0.mask, references: references) }
        }

        /// The current mask of the record (run key, experiment), and its bytes; nil when no file has it.
        func lookup(_ key40: [UInt8]) -> (record: [UInt8], mask: UInt64)? {
            let fromDelta: (record: [UInt8], mask: UInt64)? = delta.withUnsafeBytes { delta in
                RunIndex.position(of: key40, in: delta).map { position in
                    let record = RunIndex.record(delta, position)
                    return (Array(record), RunIndex.storedMask(record))
                }
            }
            if let fromDelta { return fromDelta }
            let base = baseRecords
            guard let position = RunIndex.position(of: key40, in: base) else { return nil }
            let record = RunIndex.record(base, position)
            return (Array(record), currentMask(ofBase: RunIndex.storedMask(record)))
        }

        /// Whether the base holds a record (run key, experiment) (a delta record then overrides it).
        func baseHolds(_ key40: UnsafeRawBufferPointer) -> Bool {
            RunIndex.position(of: Array(key40), in: baseRecords) != nil
        }
    }

    /// A mask with each ref bit i replaced by `map[i]` (the bits it now stands for); the r2 flag is kept.
    static func translate(_ mask: UInt64, through map: [UInt64]) -> UInt64 {
        var result = mask & r2Flag
        var bits = mask & referenceBits
        while bits != 0 {
            result |= map[bits.trailingZeroBitCount]
            bits &= bits - 1
        }
        return result
    }

    static let identityMap: [UInt64] = (0..<64).map { $0 == 63 ? 0 : 1 << UInt64($0) }

    static func newGeneration() -> [UInt8] { (0..<16).map { _ in UInt8.random(in: 0...255) } }

    static func record(_ records: UnsafeRawBufferPointer, _ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: records[(index * recordSize)..<((index + 1) * recordSize)])
    }

    static func storedMask(_ record: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(littleEndian: record.loadUnaligned(fromByteOffset: recordSize - 8, as: UInt64.self))
    }

    static func referenceNames(_ mask: UInt64, _ references: [Reference]) -> [String] {
        references.indices.filter { $0 < 63 && mask & (1 << UInt64($0)) != 0 }.map { references[$0].name }.sorted()
    }

    static func decode(_ record: UnsafeRawBufferPointer, mask: UInt64, references: [Reference]) -> RunIndexEntry {
        decode(record, mask: mask, names: referenceNames(mask, references))
    }

    static func decode(_ record: UnsafeRawBufferPointer, mask: UInt64, names: [String]) -> RunIndexEntry {
        func double(_ offset: Int) -> Double { Double(bitPattern: UInt64(littleEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) }
        return RunIndexEntry(runKey: ObjectID(raw: record), experiment: ObjectID(raw: UnsafeRawBufferPointer(rebasing: record[20..<40])),
                             started: double(40), validationLoss: double(48), validationScore: double(56),
                             scoreIsR2: mask & r2Flag != 0, references: names)
    }

    /// The base file and, when it belongs to that base, the delta; nil when the base is missing or unreadable.
    func load() -> Snapshot? {
        guard let file = MappedFile(path) else { return nil }
        var reader = ByteReader(bytes: file.bytes)
        guard reader.take(8).map(Array.init) == Self.magic, let generation = reader.take(16).map(Array.init),
              let references = Self.parseReferences(&reader), let count = reader.uint64(),
              count <= UInt64(reader.remaining / Self.recordSize), reader.remaining == Int(count) * Self.recordSize else { return nil }
        var snapshot = Snapshot(references: references, generation: generation, baseFile: file, baseRange: reader.offset..<file.bytes.count,
                                baseMap: Self.identityMap, delta: [])
        if let bytes = FileReading.wholeFile(deltaPath) {
            bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(bytes: buffer)
                guard reader.take(8).map(Array.init) == Self.deltaMagic, reader.take(16).map(Array.init) == generation,
                      let references = Self.parseReferences(&reader) else { return }
                var map: [UInt64] = []
                for _ in 0..<64 { guard let mask = reader.uint64() else { return }; map.append(mask) }
                guard let count = reader.uint64(), count <= UInt64(reader.remaining / Self.recordSize),
                      reader.remaining == Int(count) * Self.recordSize, let records = reader.take(reader.remaining) else { return }
                snapshot.references = references
                snapshot.baseMap = map
                snapshot.delta = Array(records)
            }
        }
        return snapshot
    }

    static func parseReferences(_ reader: inout ByteReader) -> [Reference]? {
        guard let referenceCount = reader.uint64(), referenceCount <= UInt64(maximumReferences) else { return nil }
        var references: [Reference] = []
        for _ in 0..<referenceCount {
            guard let length = reader.uint64(), length <= 4_096, let name = reader.take(Int(length)), let target = reader.take(20) else { return nil }
            references.append(Reference(name: String(decoding: name, as: UTF8.self), target: ObjectID(bytes: Array(target))))
        }
        return references
    }

    // MARK: - Lookup

    /// The experiments recorded for a run key, after bringing the index up to date.
    /// When no ref moved, the mapped base and the delta are binary-searched without decoding the other records.
    public func experiments(runKey: ObjectID) throws -> [RunIndexEntry] {
        try experiments(runKeys: [runKey])[0]
    }

    /// `experiments(runKey:)` for many run keys with one look at the refs (a sweep plans thousands of points).
    public func experiments(runKeys: [ObjectID]) throws -> [[RunIndexEntry]] {
        let current = Array(try coveredReferences().prefix(Self.maximumReferences))
        let snapshot: Snapshot
        if let cached, cached.references == current {
            snapshot = cached
        } else if let loaded = load(), loaded.references == current {
            cached = loaded
            snapshot = loaded
        } else {
            snapshot = try refreshed(current: current)
        }
        return runKeys.map { snapshot.search(runKey: $0) }
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

    /// The experiment ids of `tree` in (run key, experiment) order, which is the order of their paths,
    /// when `tree` is the tree of a ref the index covers; nil otherwise (the caller walks the tree).
    /// Walking a state tree reads one tree object per run key: 1.5 s at 100,000 experiments.
    public func experiments(inTreeOf tree: TreeID) throws -> [ObjectID]? {
        let snapshot = try refreshed()
        guard let bit = snapshot.references.firstIndex(where: { (try? journal.repository.commit(CommitID($0.target)).tree) == tree }) else {
            return nil
        }
        var ids: [ObjectID] = []
        snapshot.forEachRecord { record, mask in
            if mask & (1 << UInt64(bit)) != 0 { ids.append(ObjectID(raw: UnsafeRawBufferPointer(rebasing: record[20..<40]))) }
        }
        return ids
    }

    static func key(_ records: UnsafeRawBufferPointer, _ index: Int, length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: records[(index * recordSize)..<(index * recordSize + length)])
    }

    /// The position of the record whose (run key, experiment) is `key40`, by binary search; nil when absent.
    static func position(of key40: [UInt8], in records: UnsafeRawBufferPointer) -> Int? {
        let count = records.count / recordSize
        let position = lowerBound(records, key40, count: count, keyLength: 40)
        return position < count && key(records, position, length: 40).elementsEqual(key40) ? position : nil
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
    /// Ref bits are remapped through the delta's base map, each moved ref's tree is diffed against
    /// the tree the index saw (a new ref against an indexed ref, whose bit it starts from), and the few
    /// changed records are written to the delta, so the cost follows the change, not the index.
    @discardableResult
    public func refreshed() throws -> Snapshot {
        try refreshed(current: Array(try coveredReferences().prefix(Self.maximumReferences)))
    }

    private func refreshed(current: [Reference]) throws -> Snapshot {
        if let cached, cached.references == current { return cached }
        let loaded = load()
        let old = loaded ?? Snapshot.empty()
        if old.references == current {
            cached = old
            return old
        }
        var snapshot = old
        snapshot.references = current
        let newPosition = Dictionary(current.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldPosition = Dictionary(old.references.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        // A new ref starts as a copy of an indexed one (branches mostly share their experiments).
        let donor = old.references.first { newPosition[$0.name] != nil } ?? old.references.first
        if old.references.map(\.name) != current.map(\.name) {
            var bitMap = [UInt64](repeating: 0, count: 64)
            for (name, oldIndex) in oldPosition { if let newIndex = newPosition[name] { bitMap[oldIndex] |= 1 << UInt64(newIndex) } }
            if let donor, let donorIndex = oldPosition[donor.name] {
                for reference in current where oldPosition[reference.name] == nil { bitMap[donorIndex] |= 1 << UInt64(newPosition[reference.name]!) }
            }
            func remap(_ mask: UInt64) -> UInt64 { Self.translate(mask, through: bitMap) }
            snapshot.baseMap = old.baseMap.map(remap)
            snapshot.delta.withUnsafeMutableBytes { bytes in
                for index in 0..<(bytes.count / Self.recordSize) {
                    let offset = index * Self.recordSize + Self.recordSize - 8
                    let mask = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    bytes.storeBytes(of: remap(mask).littleEndian, toByteOffset: offset, as: UInt64.self)
                }
            }
        }

        // The records this update changes, by (run key, experiment): their bytes and new mask.
        var changed: [[UInt8]: (record: [UInt8]?, mask: UInt64)] = [:]
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
                let key40 = key.bytes + id.bytes
                let known = changed[key40] ?? snapshot.lookup(key40).map { (Optional($0.record), $0.mask) }
                switch change.kind {
                case .removed:
                    if let known { changed[key40] = (known.record, known.mask & ~bit) }
                case .added, .changed:
                    changed[key40] = known.map { ($0.record, $0.mask | bit) } ?? (nil, bit)
                }
            }
        }
        var updates: [[UInt8]] = []
        for (key40, change) in changed {
            var record = try change.record ?? Self.encode(summary(runKey: ObjectID(bytes: Array(key40[0..<20])), experiment: ObjectID(bytes: Array(key40[20..<40]))), mask: 0)
            let mask = change.mask & Self.referenceBits | record.withUnsafeBytes(Self.storedMask) & Self.r2Flag
            record.withUnsafeMutableBytes { $0.storeBytes(of: mask.littleEndian, toByteOffset: Self.recordSize - 8, as: UInt64.self) }
            updates.append(record)
        }
        updates.sort { $0.lexicographicallyPrecedes($1) }
        snapshot.delta = Self.merged(delta: snapshot.delta, updates: updates) { key40 in snapshot.baseHolds(key40) }
        if loaded == nil || snapshot.deltaCount > max(deltaFoldMinimum, snapshot.baseCount / 8) {
            snapshot = try saveBase(snapshot)
        } else {
            try saveDelta(snapshot)
        }
        cached = snapshot
        return snapshot
    }

    /// The delta's records with `updates` (sorted) put in place; records no ref holds are kept only as
    /// far as they hide a base record.
    private static func merged(delta: [UInt8], updates: [[UInt8]], baseHolds: (UnsafeRawBufferPointer) -> Bool) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(delta.count + updates.count * recordSize)
        delta.withUnsafeBytes { delta in
            let count = delta.count / recordSize
            var d = 0, u = 0
            func keep(_ record: UnsafeRawBufferPointer) {
                if storedMask(record) & referenceBits != 0 || baseHolds(UnsafeRawBufferPointer(rebasing: record[0..<40])) { result.append(contentsOf: record) }
            }
            while d < count || u < updates.count {
                if u == updates.count { keep(record(delta, d)); d += 1; continue }
                let update = updates[u]
                if d == count { update.withUnsafeBytes { keep($0) }; u += 1; continue }
                let existing = record(delta, d)
                if existing[0..<40].elementsEqual(update[0..<40]) { d += 1; continue }
                if existing[0..<40].lexicographicallyPrecedes(update[0..<40]) { keep(existing); d += 1 } else { update.withUnsafeBytes { keep($0) }; u += 1 }
            }
        }
        return result
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

    /// Throws away both files and builds the index again from the objects.
    @discardableResult
    public func rebuild() throws -> Snapshot {
        unlink(deltaPath)
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
        let started = run["started"]?.stringValue.flatMap(RunTimestamp.date)?.timeIntervalSince1970 ?? 0
        let accuracy = metrics["val_accuracy"]?.numberValue
        let score = accuracy ?? metrics["val_r2"]?.numberValue ?? .nan
        return RunIndexEntry(runKey: runKey, experiment: experiment, started: started, validationLoss: metrics["val_loss"]?.numberValue ?? .nan,
                             validationScore: score, scoreIsR2: accuracy == nil && metrics["val_r2"] != nil, references: [])
    }

    private static func header(_ references: [Reference]) -> [UInt8] {
        var header: [UInt8] = []
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { header += $0 } }
        append(UInt64(references.count))
        for reference in references {
            append(UInt64(reference.name.utf8.count))
            header += Array(reference.name.utf8)
            header += reference.target.bytes
        }
        return header
    }

    /// Writes `parts` to a temporary file in xj's folder and renames it to `target`.
    private func writeReplacing(_ target: String, _ parts: [UnsafeRawBufferPointer]) throws {
        guard DerivedFile.replace(target, with: parts, temporaryFolder: try journal.repository.privateDirectory()) else {
            throw JournalError.unreadable(path: target, reason: "cannot write the run index")
        }
    }

    private func saveDelta(_ snapshot: Snapshot) throws {
        var header = Self.deltaMagic + snapshot.generation + Self.header(snapshot.references)
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { header += $0 } }
        for mask in snapshot.baseMap { append(mask) }
        append(UInt64(snapshot.deltaCount))
        try header.withUnsafeBytes { header in
            try snapshot.delta.withUnsafeBytes { try writeReplacing(deltaPath, [header, $0]) }
        }
    }

    /// Folds the delta into a new base (a new generation, so a delta written meanwhile for the old
    /// base is ignored) and removes the delta. - Returns: the snapshot of the new base.
    private func saveBase(_ snapshot: Snapshot) throws -> Snapshot {
        var records: [UInt8] = []
        records.reserveCapacity((snapshot.baseCount + snapshot.deltaCount) * Self.recordSize)
        snapshot.forEachRecord { record, mask in
            records.append(contentsOf: record[0..<(Self.recordSize - 8)])
            withUnsafeBytes(of: mask.littleEndian) { records.append(contentsOf: $0) }
        }
        let generation = Self.newGeneration()
        var header = Self.magic + generation + Self.header(snapshot.references)
        withUnsafeBytes(of: UInt64(records.count / Self.recordSize).littleEndian) { header += $0 }
        try header.withUnsafeBytes { header in
            try records.withUnsafeBytes { try writeReplacing(path, [header, $0]) }
        }
        unlink(deltaPath)
        // The records alone, not the header: the snapshot needs only them (no second concatenated copy).
        let file = MappedFile(copying: records)
        return Snapshot(references: snapshot.references, generation: generation, baseFile: file, baseRange: 0..<file.bytes.count,
                        baseMap: Self.identityMap, delta: [])
    }
}
