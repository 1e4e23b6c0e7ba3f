/// git's delta format (a pack's offset and ref deltas): the base's size and the result's size as
/// little-endian base-128 numbers, then instructions that copy a range of the base or insert literal bytes.
enum GitDelta {
    /// The object `delta` makes of `base`; nil when the delta is malformed or does not fit `base`.
    static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
        var cursor = 0
        func varint() -> Int? {
            var value = 0, shift = 0
            while cursor < delta.count, shift < 63 {
                let byte = Int(delta[cursor]); cursor += 1
                value |= (byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }
        guard let baseSize = varint(), baseSize == base.count, let resultSize = varint() else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(resultSize)
        while cursor < delta.count {
            let operation = Int(delta[cursor]); cursor += 1
            if operation & 0x80 != 0 {
                var offset = 0, size = 0
                for bit in 0..<4 where operation & (1 << bit) != 0 {
                    guard cursor < delta.count else { return nil }
                    offset |= Int(delta[cursor]) << (8 * bit); cursor += 1
                }
                for bit in 0..<3 where operation & (0x10 << bit) != 0 {
                    guard cursor < delta.count else { return nil }
                    size |= Int(delta[cursor]) << (8 * bit); cursor += 1
                }
                if size == 0 { size = 0x10000 }
                guard offset + size <= base.count, result.count + size <= resultSize else { return nil }
                result.append(contentsOf: base[offset..<offset + size])
            } else if operation != 0 {
                guard cursor + operation <= delta.count, result.count + operation <= resultSize else { return nil }
                result.append(contentsOf: delta[cursor..<cursor + operation])
                cursor += operation
            } else {
                return nil
            }
        }
        return result.count == resultSize ? result : nil
    }
}
