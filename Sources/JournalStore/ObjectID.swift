import CGit2

/// A git object id: the 20-byte SHA-1 of an object's header and content.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 20 raw bytes.
    public let bytes: [UInt8]

    /// Wraps 20 raw bytes. - Precondition: `bytes.count == 20`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 20, "an object id has 20 bytes")
        self.bytes = bytes
    }

    /// Hashes the first eight bytes only: they are part of a SHA-1, already uniform, and hashing all
    /// twenty (and the array's count) made dictionaries keyed by id the cost of `xj runs`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(leadingWord)
    }

    /// The first eight bytes as one big-endian number: uniform (part of a SHA-1), ordered as the
    /// bytes are, and what derived files key records by.
    @inlinable public var leadingWord: UInt64 {
        bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else { return nil }
            out[index] = high << 4 | low
        }
        bytes = out
    }

    init(_ oid: git_oid) {
        var copy = oid
        bytes = withUnsafeBytes(of: &copy.id) { Array($0) }
    }

    /// The id in libgit2's form.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.copyBytes(from: bytes) }
        return oid
    }

    /// 40 lowercase hexadecimal digits, as git prints ids.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the id's hexadecimal form starts with `prefix` (lower-case digits), compared digit by
    /// digit without building the 40-character string (a prefix is matched against 100,000 ids).
    public func hasHexPrefix(_ prefix: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Self.hexPrefix(prefix, matches: $0) }
    }

    /// `hasHexPrefix` on 20 raw id bytes (a record in a binary index, not decoded).
    public static func hexPrefix(_ prefix: [UInt8], matches raw: UnsafeRawBufferPointer) -> Bool {
        guard prefix.count <= 40, raw.count >= 20 else { return false }
        for (index, digit) in prefix.enumerated() {
            let byte = raw[index / 2]
            guard let value = nibble(digit), value == (index % 2 == 0 ? byte >> 4 : byte & 15) else { return false }
        }
        return true
    }

    /// Whether this is the all-zero id git uses for "no object" (a ref that does not exist).
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The first seven digits, as `git log --oneline` shows them.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    /// Byte order, as git sorts ids: the first eight bytes compared as one big-endian number settle
    /// all but one pair in 2^64 (a generic byte-by-byte comparison was a fifth of sorting 100,000 rows).
    @inlinable public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        let left = lhs.leadingWord, right = rhs.leadingWord
        return left != right ? left < right : lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
