import Foundation

/// `.journal/xj/summaries.idx`: where each record of the summary cache's first `covered` bytes
/// starts, sorted by the record's id (its first 8 bytes), so a table that shows 64 of 100,000
/// experiments finds their records by binary search instead of walking 50 MB of record headers.
/// Records appended after `covered` are found by walking that tail; the index is written again when
/// the tail has grown long. An entry is only a hint: the record it points at must carry the id asked
/// for, and an index that points at anything else (the cache was rewritten) is ignored and rebuilt.
///
/// Format: a line `xj-summaries-index 1`, `covered` (u64, little-endian), then pairs of an id's first
/// 8 bytes (u64, little-endian, as a number read big-endian from the id) and the record's offset (u64),
/// ascending by id.
final class SummaryCacheIndex {
    static let header = Array("xj-summaries-index 1\n".utf8)
    /// Records past `covered` beyond which the index is written again.
    static let tailLimit = 2_048

    /// How many bytes of the cache file the index covers.
    let covered: Int
    private let file: MappedFile

    /// The index at `path`, when it is well formed and covers no more than `fileSize` bytes.
    init?(path: String, fileSize: Int) {
        guard let file = MappedFile(path), file.bytes.count >= Self.header.count + 8,
              (file.bytes.count - Self.header.count - 8) % 16 == 0, file.bytes.starts(with: Self.header) else { return nil }
        let covered = Int(UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: Self.header.count, as: UInt64.self)))
        guard covered <= fileSize else { return nil }
        self.file = file
        self.covered = covered
    }

    /// How many records it points at.
    var count: Int { (file.bytes.count - Self.header.count - 8) / 16 }

    /// Whether its entries are among `pairs` (every record of the file, in file order): a sample of
    /// them, checked by offset, so an index of an earlier file with another layout is rewritten.
    func agrees(with pairs: [(prefix: UInt64, offset: Int)]) -> Bool {
        guard count > 0 else { return true }
        var byOffset: [Int: UInt64] = [:]
        for position in stride(from: 0, to: count, by: max(1, count / 64)) { byOffset[pair(position).offset] = pair(position).prefix }
        var matched = 0
        for (prefix, offset) in pairs where byOffset[offset] != nil {
            guard byOffset[offset] == prefix else { return false }
            matched += 1
        }
        return matched == byOffset.count
    }

    private func pair(_ position: Int) -> (prefix: UInt64, offset: Int) {
        let at = Self.header.count + 8 + position * 16
        return (UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                Int(UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))))
    }

    /// The entries (positions) of the records whose ids start with these 8 bytes, by binary search; a
    /// range, not an array of offsets, as 100,000 lookups on two threads made one each.
    func entries(of prefix: UInt64) -> Range<Int> {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if pair(middle).prefix < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < count, pair(end).prefix == prefix { end += 1 }
        return low..<end
    }

    /// The record offset of an entry.
    func offset(at position: Int) -> Int { pair(position).offset }

    /// Writes the index of `pairs` (unsorted) covering `covered` bytes, through a rename (best effort).
    static func write(_ pairs: [(prefix: UInt64, offset: Int)], covered: Int, to path: String, temporaryFolder: String) {
        var bytes = header
        bytes.reserveCapacity(header.count + 8 + pairs.count * 16)
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(UInt64(covered))
        for pair in pairs.sorted(by: { $0.prefix < $1.prefix || ($0.prefix == $1.prefix && $0.offset < $1.offset) }) {
            append(pair.prefix)
            append(UInt64(pair.offset))
        }
        DerivedFile.replace(path, with: bytes, temporaryFolder: temporaryFolder)
    }
}
