import CZlib
import Foundation

/// Indexes a pack that a clone received: walks its entries in order, inflates each, applies deltas,
/// and hashes every object, as `git index-pack` does; the objects up to 1 MiB are kept for the check
/// that follows (`InflatedObjects`). A pack holding an object over 32 MiB is left to libgit2's
/// indexer, which streams large objects.
///
/// The pack comes from a server xj does not trust: every length, offset and delta is checked against
/// the pack's bytes, and a damaged pack is one `StoreError.network` naming the entry, never a read
/// outside the buffer.
struct IncomingPackIndexer {
    /// One object of the pack: its id, kind, where its entry starts, and the entry's CRC-32.
    struct Entry {
        let id: ObjectID
        let kind: ObjectKind
        let offset: Int
        let crc: UInt32
    }

    /// What indexing found: every entry in id order, the pack's trailing checksum, and the kept objects.
    struct Result {
        let entries: [Entry]
        let checksum: [UInt8]
        let objects: InflatedObjects
    }

    /// Objects up to this size are kept, up to `keptTotalLimit` bytes in all; others are inflated
    /// again from the pack when a delta needs them.
    static let keptObjectLimit = 1 << 20
    static let keptTotalLimit = 512 << 20

    /// The whole pack, trailer included.
    let pack: UnsafeRawBufferPointer
    /// The remote the pack came from, for error messages.
    let source: String
    /// Objects larger than this are left to libgit2 (`index` returns nil).
    var largestObject = 32 << 20

    /// Indexes the pack. - Returns: nil when it holds an object over `largestObject` bytes, or more than
    /// `keptTotalLimit` bytes of ref deltas sent before their bases.
    /// - Parameter progress: called with objects indexed and the pack's object count.
    func index(progress: ((Int, Int) -> Void)? = nil) throws -> Result? {
        guard pack.count >= 32, load32(0) == 0x5041_434b else { throw damaged("it does not start with a pack header") }
        let version = load32(4)
        guard version == 2 || version == 3 else { throw damaged("it is pack version \(version); git writes 2 or 3") }
        let count = Int(load32(8))
        let end = pack.count - 20
        let hasher = SHA1Hasher()
        hasher.update(UnsafeRawBufferPointer(rebasing: pack[0..<end]))
        let checksum = hasher.finish().bytes
        guard checksum.elementsEqual(pack[end...]) else { throw damaged("its checksum does not match its contents") }

        // An entry takes at least 3 bytes (a header byte and a minimal zlib stream is longer): a count
        // past that is a lie and must not size an allocation.
        guard count <= (end - 12) / 3 else { throw damaged("its header claims \(count) objects in \(pack.count) bytes") }
        var offsets: [Int] = [], crcs: [UInt32] = [], types: [Int] = [], ids: [ObjectID?] = []
        var bodies: [[UInt8]?] = []
        offsets.reserveCapacity(count); crcs.reserveCapacity(count); types.reserveCapacity(count)
        ids.reserveCapacity(count); bodies.reserveCapacity(count)
        // Built only once a ref delta needs it (git sends offset deltas to a client that asks).
        var entryWithID: [ObjectID: Int]?
        var waiting: [(entry: Int, base: ObjectID, delta: [UInt8])] = []
        var waitingBytes = 0
        var keptBytes = 0
        let inflater = ZlibInflater()

        func record(_ entry: Int, type: Int, body: [UInt8]) throws {
            guard let kind = PackedObjectStore.kind(type), let id = GitRepository.hashObject(kind, body) else {
                throw damaged("object \(entry + 1) cannot be hashed")
            }
            entryWithID?[id] = entry
            types[entry] = type
            ids[entry] = id
            if body.count <= Self.keptObjectLimit, keptBytes + body.count <= Self.keptTotalLimit {
                bodies[entry] = body
                keptBytes += body.count
            }
        }
        // The type and content of an entry already resolved: kept, or inflated again from the pack.
        func object(_ entry: Int, depth: Int = 0) throws -> (Int, [UInt8]) {
            if let body = bodies[entry] { return (types[entry], body) }
            guard depth < 64 else { throw damaged("a delta chain is longer than 64") }
            let header = try parseHeader(at: offsets[entry], end: end)
            guard let (data, _) = inflater.prefix(header.size, of: UnsafeRawBufferPointer(rebasing: pack[header.dataStart..<end])) else {
                throw damaged("object \(entry + 1) does not inflate")
            }
            guard header.type >= 6 else { return (header.type, data) }
            guard let base = try header.baseOffset.map({ try entryStarting(at: $0, for: entry) }) ?? header.baseID.flatMap({ entryWithID?[$0] }) else {
                throw damaged("object \(entry + 1) is a delta of an object the pack does not hold")
            }
            return try resolve(data, of: entry, onto: base, depth: depth + 1)
        }
        // The object entry `entry`'s delta makes of the entry `base`, with the base's type.
        func resolve(_ delta: [UInt8], of entry: Int, onto base: Int, depth: Int = 0) throws -> (Int, [UInt8]) {
            let (type, baseBody) = try object(base, depth: depth)
            guard let result = GitDelta.apply(delta, to: baseBody) else { throw damaged("object \(entry + 1) is a delta that does not fit its base") }
            return (type, result)
        }
        func entryStarting(at offset: Int, for delta: Int) throws -> Int {
            // Entries are appended in pack order, so their offsets are sorted.
            var low = 0, high = offsets.count
            while low < high {
                let middle = (low + high) / 2
                if offsets[middle] < offset { low = middle + 1 } else { high = middle }
            }
            guard low < offsets.count, offsets[low] == offset else { throw damaged("object \(delta + 1) is a delta of byte \(offset), where no object starts") }
            return low
        }

        var cursor = 12
        for entry in 0..<count {
            guard cursor < end else { throw damaged("it ends after \(entry) of the \(count) objects its header announces") }
            let header = try parseHeader(at: cursor, end: end)
            guard header.size <= largestObject else { return nil }
            guard let (data, consumed) = inflater.prefix(header.size, of: UnsafeRawBufferPointer(rebasing: pack[header.dataStart..<end])) else {
                throw damaged("object \(entry + 1) of \(count), at byte \(cursor), does not inflate to its stated \(header.size) bytes")
            }
            let next = header.dataStart + consumed
            let entryBytes = UnsafeRawBufferPointer(rebasing: pack[cursor..<next])
            offsets.append(cursor)
            crcs.append(UInt32(crc32(0, entryBytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(entryBytes.count))))
            types.append(header.type)
            ids.append(nil)
            bodies.append(nil)
            cursor = next
            switch header.type {
            case 1...4:
                try record(entry, type: header.type, body: data)
            case 6:
                let (type, result) = try resolve(data, of: entry, onto: try entryStarting(at: header.baseOffset!, for: entry))
                try record(entry, type: type, body: result)
            default:
                if entryWithID == nil {
                    var known: [ObjectID: Int] = [:]
                    for (index, id) in ids.enumerated() { if let id { known[id] = index } }
                    entryWithID = known
                }
                if let base = entryWithID?[header.baseID!] {
                    let (type, result) = try resolve(data, of: entry, onto: base)
                    try record(entry, type: type, body: result)
                } else {
                    // Deltas held for a later base are bounded like the kept objects; past that, libgit2
                    // indexes the pack (it writes them to disk).
                    waitingBytes += data.count
                    guard waitingBytes <= Self.keptTotalLimit else { return nil }
                    waiting.append((entry, header.baseID!, data))
                }
            }
            if entry & 1023 == 1023 { progress?(entry + 1, count) }
        }
        guard cursor == end else { throw damaged("\(end - cursor) bytes follow its last object") }
        // Ref deltas whose base came later in the pack (git writes bases first; other servers may not).
        while !waiting.isEmpty {
            let before = waiting.count
            var still: [(entry: Int, base: ObjectID, delta: [UInt8])] = []
            for item in waiting {
                guard let base = entryWithID?[item.base] else { still.append(item); continue }
                let (type, result) = try resolve(item.delta, of: item.entry, onto: base)
                try record(item.entry, type: type, body: result)
            }
            waiting = still
            if waiting.count == before {
                throw damaged("object \(waiting[0].entry + 1) is a delta of \(waiting[0].base.hex), which the pack does not hold")
            }
        }
        progress?(count, count)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for entry in 0..<count {
            entries.append(Entry(id: ids[entry]!, kind: PackedObjectStore.kind(types[entry])!, offset: offsets[entry], crc: crcs[entry]))
        }
        var order = Array(0..<count)
        order.sort { entries[$0].id < entries[$1].id }
        for (position, entry) in order.enumerated().dropFirst() where entries[entry].id == entries[order[position - 1]].id {
            throw damaged("it holds object \(entries[entry].id.hex) twice")
        }
        let objects = InflatedObjects(ids: order.map { entries[$0].id }, kinds: order.map { entries[$0].kind }, bodies: order.map { bodies[$0] })
        return Result(entries: order.map { entries[$0] }, checksum: checksum, objects: objects)
    }

    /// The header of the entry at `offset`, checked against the pack's end.
    private func parseHeader(at offset: Int, end: Int) throws -> PackEntryHeader {
        guard let header = PackEntryHeader.parse(pack, at: offset, limit: end) else {
            throw damaged("the entry at byte \(offset) has a header git cannot read (it runs past the pack's end, is overlong, has an undefined type, or names a base outside the pack)")
        }
        return header
    }

    private func damaged(_ problem: String) -> StoreError {
        .network(url: source, problem: "the pack it sent is damaged: \(problem)")
    }

    private func load32(_ offset: Int) -> UInt32 {
        UInt32(bigEndian: pack.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
