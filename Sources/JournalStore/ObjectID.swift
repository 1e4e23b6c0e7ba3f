import CGit2

/// A git object id: the 20-byte SHA-1 of an object's header and content.
///
/// Held inline as three big-endian words, not an array: a clone's check and a push make tens of
/// thousands of ids, and an array per id was an allocation to make, compare and free each time.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bytes 0–7, 8–15 and 16–19 as big-endian numbers, so numeric order is byte order.
    @usableFromInline let high: UInt64
    @usableFromInline let middle: UInt64
    @usableFromInline let low: UInt32

    /// Wraps 20 raw bytes. - Precondition: `bytes.count == 20`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 20, "an object id has 20 bytes")
        self = bytes.withUnsafeBytes { Self(raw: $0) }
    }

    /// Reads the first 20 bytes of `raw`. - Precondition: `raw.count >= 20`.
    public init(raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 20, "an object id has 20 bytes")
        high = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        middle = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// The 20 raw bytes (a new array on each call; `withUnsafeBytes` lends them without one).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lends the 20 raw bytes.
    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var words = (high.bigEndian, middle.bigEndian, low.bigEndian)
        return try Swift.withUnsafeBytes(of: &words) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<20])) }
    }

    /// The first byte (a pack index's fan-out slot).
    public var firstByte: UInt8 { UInt8(truncatingIfNeeded: high >> 56) }

    public static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
        lhs.high == rhs.high && lhs.middle == rhs.middle && lhs.low == rhs.low
    }

    /// Hashes the first eight bytes only: they are part of a SHA-1, already uniform.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
    }

    /// The first eight bytes as one big-endian number: uniform (part of a SHA-1), ordered as the
    /// bytes are, and what derived files key records by.
    @inlinable public var leadingWord: UInt64 { high }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 20)
        for index in 0..<20 {
            guard let high = Self.nibble(utf8[2 * index]), let low = Self.nibble(utf8[2 * index + 1]) else { return nil }
            out[index] = high << 4 | low
        }
        self.init(bytes: out)
    }

    init(_ oid: git_oid) {
        var copy = oid
        self = Swift.withUnsafeBytes(of: &copy.id) { Self(raw: $0) }
    }

    /// The id in libgit2's form.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeBytes { bytes in Swift.withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: bytes) } }
        return oid
    }

    /// 40 lowercase hexadecimal digits, as git prints ids.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        withUnsafeBytes { bytes in
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is exactly the id's 40 lower-case hexadecimal digits (`hex == text`, without
    /// making the string).
    public func isSpelled<Text: Collection>(by text: Text) -> Bool where Text.Element == UInt8 {
        guard text.count == 40 else { return false }
        return withUnsafeBytes { raw in
            var position = text.startIndex
            for byte in raw {
                let high = text[position]; position = text.index(after: position)
                let low = text[position]; position = text.index(after: position)
                guard high == Self.lowerHexDigit(byte >> 4), low == Self.lowerHexDigit(byte & 15) else { return false }
            }
            return true
        }
    }

    private static func lowerHexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// Whether the id's hexadecimal form starts with `prefix` (lower-case digits), compared digit by
    /// digit without building the 40-character string (a prefix is matched against 100,000 ids).
    public func hasHexPrefix(_ prefix: [UInt8]) -> Bool {
        withUnsafeBytes { Self.hexPrefix(prefix, matches: $0) }
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
    public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

    /// The first seven digits, as `git log --oneline` shows them.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    /// Byte order, as git sorts ids: the big-endian words compared in turn.
    @inlinable public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        if lhs.high != rhs.high { return lhs.high < rhs.high }
        if lhs.middle != rhs.middle { return lhs.middle < rhs.middle }
        return lhs.low < rhs.low
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
