/// Writes a version-2 pack index (`.idx`), the file git and libgit2 look objects up in: a fan-out
/// table of 256 counts, the sorted ids, their CRC-32s, their offsets (31 bits, or a slot in a table of
/// 64-bit offsets for packs past 2 GiB), the pack's checksum, and the index's own SHA-1.
enum PackIndexWriter {
    /// - Parameter sorted: every entry, in id order.
    static func bytes(of sorted: [IncomingPackIndexer.Entry], packChecksum: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]
        out.reserveCapacity(8 + 1024 + sorted.count * 28 + 40)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) } }
        var counts = [UInt32](repeating: 0, count: 256)
        for entry in sorted { counts[Int(entry.id.firstByte)] += 1 }
        var running: UInt32 = 0
        for count in counts { running += count; append32(running) }
        for entry in sorted { entry.id.withUnsafeBytes { out.append(contentsOf: $0) } }
        for entry in sorted { append32(entry.crc) }
        var large: [UInt64] = []
        for entry in sorted {
            if entry.offset < 0x8000_0000 {
                append32(UInt32(entry.offset))
            } else {
                append32(0x8000_0000 | UInt32(large.count))
                large.append(UInt64(entry.offset))
            }
        }
        for offset in large { withUnsafeBytes(of: offset.bigEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: packChecksum)
        let hasher = SHA1Hasher()
        out.withUnsafeBytes { hasher.update($0) }
        out.append(contentsOf: hasher.finish().bytes)
        return out
    }
}
