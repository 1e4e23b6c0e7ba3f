import CGit2
import Foundation

/// Writes a pack of given objects as a stream, copying each packed entry as it is stored (after
/// checking its CRC-32 against the index) instead of inflating and compressing it again, which is what
/// made libgit2's packbuilder 2.6× slower than `git push`. A delta is kept when its base is in the
/// same pack being written (as an offset delta once the base is written, else a ref delta); an object
/// that is loose, damaged, or whose base stays behind is written whole.
final class OutgoingPackWriter {
    private let repository: GitRepository
    private let store: PackedObjectStore
    private let offsetDeltas: Bool
    private let hasher = SHA1Hasher()
    private var written = 0
    private var newOffsets: [ObjectID: Int] = [:]

    /// - Parameter offsetDeltas: whether the reader accepts offset deltas (receive-pack's `ofs-delta`).
    init(repository: GitRepository, store: PackedObjectStore, offsetDeltas: Bool) {
        self.repository = repository
        self.store = store
        self.offsetDeltas = offsetDeltas
    }

    /// Writes the whole pack (header, entries, SHA-1 trailer) to `sink`.
    /// - Parameter progress: told (objects written, objects in all, bytes written) every 1,000 objects and at the end.
    func write(_ objects: [ObjectID], to sink: (UnsafeRawBufferPointer) throws -> Void,
               progress: ((Int, Int, Int) -> Void)? = nil) throws {
        let sending = Set(objects)
        var packed: [(pack: Int, offset: Int, id: ObjectID)] = []
        var unpacked: [ObjectID] = []
        for id in objects {
            if let (index, offset) = store.position(of: id) { packed.append((index, offset, id)) } else { unpacked.append(id) }
        }
        // In each pack's own order, so a delta's offset base (always earlier in its pack) is written first.
        packed.sort { ($0.pack, $0.offset) < ($1.pack, $1.offset) }
        var header: [UInt8] = Array("PACK".utf8) + [0, 0, 0, 2]
        withUnsafeBytes(of: UInt32(objects.count).bigEndian) { header.append(contentsOf: $0) }
        try emit(header, sink)
        var done = 0
        func tick() {
            done += 1
            if done % 1000 == 0 || done == objects.count { progress?(done, objects.count, written) }
        }
        for item in packed {
            try copyEntry(item.id, pack: store.packs[item.pack], offset: item.offset, sending: sending, sink)
            tick()
        }
        for id in unpacked {
            try writeWhole(id, sink)
            tick()
        }
        let digest = hasher.finish().bytes
        try digest.withUnsafeBytes { try sink($0) }
        written += 20
        if objects.isEmpty { progress?(0, 0, written) }
    }

    private func copyEntry(_ id: ObjectID, pack: PackFile, offset: Int, sending: Set<ObjectID>,
                           _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let header = pack.header(at: offset), let raw = pack.checkedEntry(at: offset) else { return try writeWhole(id, sink) }
        let data = UnsafeRawBufferPointer(rebasing: raw[(header.dataStart - offset)...])
        let start = written
        switch header.type {
        case 1, 2, 3, 4:
            try emit(raw, sink)
        default:
            guard let base = header.baseID ?? header.baseOffset.flatMap(pack.id(atOffset:)), sending.contains(base) else {
                return try writeWhole(id, sink)
            }
            if offsetDeltas, let baseStart = newOffsets[base] {
                try emit(Self.entryHeader(type: 6, size: header.size) + Self.offsetDistance(start - baseStart), sink)
            } else {
                try emit(Self.entryHeader(type: 7, size: header.size) + base.bytes, sink)
            }
            try emit(data, sink)
        }
        newOffsets[id] = start
    }

    /// Writes `id` as a whole object, compressed here: a large loose blob streams with flat memory.
    private func writeWhole(_ id: ObjectID, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let start = written
        let (kind, size) = try repository.objectHeader(id)
        guard let deflater = ZlibDeflater(level: size > 1 << 20 ? 1 : -1) else {
            throw StoreError.io(path: "zlib", reason: "deflateInit failed")
        }
        try emit(Self.entryHeader(type: PackedObjectStore.type(kind), size: size), sink)
        if kind == .blob, size > 1 << 20 {
            var streamed = 0
            try repository.streamBlob(BlobID(id)) { piece in
                streamed += piece.count
                try deflater.write(piece, finish: false) { try emit($0, sink) }
            }
            guard streamed == size else { throw StoreError.sizeMismatch(path: "object \(id.hex)", expected: UInt64(size), actual: UInt64(streamed)) }
            try deflater.write(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try emit($0, sink) }
        } else {
            let (_, body) = try repository.rawObject(id, store: store)
            try body.withUnsafeBytes { bytes in try deflater.write(bytes, finish: true) { try emit($0, sink) } }
        }
        newOffsets[id] = start
    }

    private func emit(_ bytes: [UInt8], _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try bytes.withUnsafeBytes { try emit($0, sink) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        hasher.update(bytes)
        written += bytes.count
        try sink(bytes)
    }

    /// An entry's type and inflated size: the type in bits 4–6 of the first byte, the size in 4 bits
    /// and then 7 bits per byte, low bits first.
    static func entryHeader(type: Int, size: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = size >> 4
        var byte = UInt8(type << 4) | UInt8(size & 15)
        while rest > 0 {
            bytes.append(byte | 0x80)
            byte = UInt8(rest & 0x7f)
            rest >>= 7
        }
        bytes.append(byte)
        return bytes
    }

    /// An offset delta's distance back to its base, in git's encoding (7 bits per byte, high bits first,
    /// each continued byte standing for one more than its value).
    static func offsetDistance(_ distance: Int) -> [UInt8] {
        var value = distance
        var bytes: [UInt8] = [UInt8(value & 0x7f)]
        value >>= 7
        while value > 0 {
            value -= 1
            bytes.insert(0x80 | UInt8(value & 0x7f), at: 0)
            value >>= 7
        }
        return bytes
    }
}
