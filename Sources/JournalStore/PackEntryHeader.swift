/// The header of one pack entry: its type number (1–4 whole objects, 6 offset delta, 7 ref delta), the
/// size of what it inflates to, where its zlib data starts, and for a delta, what its base is. Parsed
/// the same way for the packs a push copies from (`PackFile`) and the pack a clone receives
/// (`IncomingPackIndexer`), every read checked against `limit`.
struct PackEntryHeader {
    let type: Int
    let size: Int
    let dataStart: Int
    let baseOffset: Int?
    let baseID: ObjectID?
    /// How far the entry's data may run: its end when the index tells it, else the pack's trailer.
    let limit: Int

    /// Parses the header at `offset`; nil when it runs past `limit`, has an overlong size or base
    /// offset, a type git does not define, or an offset delta whose base would lie before the first entry.
    static func parse(_ pack: UnsafeRawBufferPointer, at offset: Int, limit: Int) -> PackEntryHeader? {
        var cursor = offset
        guard cursor < limit else { return nil }
        var byte = Int(pack[cursor]); cursor += 1
        let type = (byte >> 4) & 7
        var size = byte & 15
        var shift = 4
        while byte & 0x80 != 0 {
            guard cursor < limit, shift < 57 else { return nil }
            byte = Int(pack[cursor]); cursor += 1
            size |= (byte & 0x7f) << shift
            shift += 7
        }
        switch type {
        case 1, 2, 3, 4:
            return PackEntryHeader(type: type, size: size, dataStart: cursor, baseOffset: nil, baseID: nil, limit: limit)
        case 6:
            guard cursor < limit else { return nil }
            byte = Int(pack[cursor]); cursor += 1
            var distance = byte & 0x7f
            while byte & 0x80 != 0 {
                guard cursor < limit, distance < (1 << 50) else { return nil }
                byte = Int(pack[cursor]); cursor += 1
                distance = ((distance + 1) << 7) | (byte & 0x7f)
            }
            // The first entry starts after the 12-byte pack header.
            guard distance > 0, distance <= offset - 12 else { return nil }
            return PackEntryHeader(type: type, size: size, dataStart: cursor, baseOffset: offset - distance, baseID: nil, limit: limit)
        case 7:
            guard cursor + 20 <= limit else { return nil }
            let base = ObjectID(raw: UnsafeRawBufferPointer(rebasing: pack[cursor..<cursor + 20]))
            return PackEntryHeader(type: type, size: size, dataStart: cursor + 20, baseOffset: nil, baseID: base, limit: limit)
        default:
            return nil
        }
    }
}
