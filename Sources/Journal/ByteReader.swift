import JournalStore

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
        let names = references.indices.filter { $0 < 63 && mask & (1 << UInt64($0)) != 0 }.map { references[$0].name }.sorted()
        return RunIndexEntry(runKey: ObjectID(bytes: Array(key)), experiment: ObjectID(bytes: Array(id)), started: Double(bitPattern: started),
                             validationLoss: Double(bitPattern: loss), validationScore: Double(bitPattern: score),
                             scoreIsR2: mask & RunIndex.r2Flag != 0, references: names)
    }
}
