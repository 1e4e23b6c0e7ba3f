import CZlib
import Foundation

/// One pack of the repository and its version-2 index, both mapped read-only: where each object's
/// entry starts and ends, its CRC-32, and the entry's header. A push copies entries from here as they
/// are (git's "reuse"), so the pack's bytes never go through zlib again.
///
/// Every offset and length read from either file is checked against the files' sizes before use: a
/// damaged pack gives `nil` or a `StoreError`, never a read outside the mapping.
final class PackFile {
    let path: String
    let objectCount: Int
    private let index: UnsafeRawBufferPointer
    private let pack: UnsafeRawBufferPointer
    /// Entry start offsets in ascending order, and the index position (name order) of each.
    private let sortedStarts: [Int]
    private let positionsByStart: [Int32]

    /// Maps `<stem>.idx` and `<stem>.pack`; nil when either is missing or not a version-2 pair.
    init?(indexPath: String) {
        guard indexPath.hasSuffix(".idx") else { return nil }
        let packPath = String(indexPath.dropLast(4)) + ".pack"
        guard let index = Self.map(indexPath) else { return nil }
        guard let pack = Self.map(packPath) else { Self.unmap(index); return nil }
        guard let layout = Self.validate(index: index, pack: pack) else { Self.unmap(index); Self.unmap(pack); return nil }
        var pairs: [(Int, Int32)] = []
        pairs.reserveCapacity(layout.count)
        for position in 0..<layout.count { pairs.append((layout.offset(position), Int32(position))) }
        pairs.sort { $0.0 < $1.0 }
        guard pairs.allSatisfy({ $0.0 >= 12 && $0.0 < pack.count - 20 }) else { Self.unmap(index); Self.unmap(pack); return nil }
        self.path = packPath
        self.index = index
        self.pack = pack
        objectCount = layout.count
        sortedStarts = pairs.map(\.0)
        positionsByStart = pairs.map(\.1)
    }

    deinit {
        Self.unmap(index)
        Self.unmap(pack)
    }

    // MARK: Lookup

    /// Where `id`'s entry starts in the pack, if this pack holds it.
    func offset(of id: ObjectID) -> Int? {
        guard let position = position(of: id) else { return nil }
        return entryOffset(position)
    }

    /// The id of the object whose entry starts at `offset`.
    func id(atOffset offset: Int) -> ObjectID? {
        guard let slot = slot(ofStart: offset) else { return nil }
        return name(Int(positionsByStart[slot]))
    }

    /// The raw bytes of the entry at `offset` (header and zlib data), checked against the index's
    /// CRC-32; nil when they do not match.
    func checkedEntry(at offset: Int) -> UnsafeRawBufferPointer? {
        guard let slot = slot(ofStart: offset) else { return nil }
        let end = slot + 1 < sortedStarts.count ? sortedStarts[slot + 1] : pack.count - 20
        let bytes = UnsafeRawBufferPointer(rebasing: pack[offset..<end])
        let expected = loadBigEndian32(index, 8 + 1024 + objectCount * 20 + Int(positionsByStart[slot]) * 4)
        let actual = UInt32(crc32(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
        return actual == expected ? bytes : nil
    }

    /// Parses the header of the entry at `offset`, its data bounded by the entry's end (the next entry's
    /// start, or the pack's trailer); nil when it is not an entry's start, runs past its end, or is malformed.
    func header(at offset: Int) -> PackEntryHeader? {
        guard let slot = slot(ofStart: offset) else { return nil }
        let limit = slot + 1 < sortedStarts.count ? sortedStarts[slot + 1] : pack.count - 20
        return PackEntryHeader.parse(pack, at: offset, limit: limit)
    }

    /// Inflates the zlib data of the entry whose header is `header` into exactly `header.size` bytes.
    func inflate(_ header: PackEntryHeader, with inflater: ZlibInflater) -> [UInt8]? {
        inflater.exactly(header.size, from: UnsafeRawBufferPointer(rebasing: pack[header.dataStart..<header.limit]))
    }

    // MARK: Index layout

    private func position(of id: ObjectID) -> Int? {
        let first = Int(id.firstByte)
        var low = first == 0 ? 0 : Int(loadBigEndian32(index, 8 + (first - 1) * 4))
        var high = Int(loadBigEndian32(index, 8 + first * 4))
        while low < high {
            let middle = (low + high) / 2
            let order = id.withUnsafeBytes { memcmp($0.baseAddress!, index.baseAddress! + 8 + 1024 + middle * 20, 20) }
            if order == 0 { return middle }
            if order < 0 { high = middle } else { low = middle + 1 }
        }
        return nil
    }

    private func name(_ position: Int) -> ObjectID {
        let start = 8 + 1024 + position * 20
        return ObjectID(raw: UnsafeRawBufferPointer(rebasing: index[start..<start + 20]))
    }

    private func entryOffset(_ position: Int) -> Int {
        Self.Layout(index: index, count: objectCount).offset(position)
    }

    private func slot(ofStart offset: Int) -> Int? {
        var low = 0, high = sortedStarts.count
        while low < high {
            let middle = (low + high) / 2
            if sortedStarts[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < sortedStarts.count && sortedStarts[low] == offset ? low : nil
    }

    // MARK: Files

    /// Reads offsets out of a version-2 index: 31-bit offsets, or an index into the 64-bit table.
    private struct Layout {
        let index: UnsafeRawBufferPointer
        let count: Int

        var largeTableStart: Int { 8 + 1024 + count * 28 }

        func offset(_ position: Int) -> Int {
            let small = loadBigEndian32(index, 8 + 1024 + count * 24 + position * 4)
            guard small & 0x8000_0000 != 0 else { return Int(small) }
            let slot = Int(small & 0x7fff_ffff)
            let start = largeTableStart + slot * 8
            guard start + 8 <= index.count - 40 else { return -1 }
            return Int(truncatingIfNeeded: UInt64(loadBigEndian32(index, start)) << 32 | UInt64(loadBigEndian32(index, start + 4)))
        }
    }

    private static func validate(index: UnsafeRawBufferPointer, pack: UnsafeRawBufferPointer) -> Layout? {
        guard index.count >= 8 + 1024 + 40, pack.count >= 32 else { return nil }
        guard loadBigEndian32(index, 0) == 0xff74_4f63, loadBigEndian32(index, 4) == 2 else { return nil }
        guard loadBigEndian32(pack, 0) == 0x5041_434b else { return nil }  // "PACK"
        var previous: UInt32 = 0
        for slot in 0..<256 {
            let value = loadBigEndian32(index, 8 + slot * 4)
            guard value >= previous else { return nil }
            previous = value
        }
        let count = Int(previous)
        guard count == Int(loadBigEndian32(pack, 8)), index.count >= 8 + 1024 + count * 28 + 40 else { return nil }
        return Layout(index: index, count: count)
    }

    private static func map(_ path: String) -> UnsafeRawBufferPointer? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        guard let base = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else { return nil }
        return UnsafeRawBufferPointer(start: base, count: Int(status.st_size))
    }

    private static func unmap(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
    }
}

/// A big-endian 32-bit number at `offset`.
@inline(__always) private func loadBigEndian32(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
    UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
}
