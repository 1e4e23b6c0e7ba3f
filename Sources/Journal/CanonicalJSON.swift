import Foundation

/// The JSON Canonicalization Scheme (RFC 8785) with NFC strings: the one byte form of a value,
/// so equal values hash to equal git objects.
///
/// Object keys are sorted by UTF-16 code units; there is no insignificant whitespace; numbers are
/// written as ECMAScript's `Number.prototype.toString` writes them (shortest round-trip digits);
/// strings are NFC-normalised and escape only `"`, `\` and control characters.
public enum CanonicalJSON {
    /// The canonical bytes of `value`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String { String(decoding: bytes(value), as: UTF8.self) }

    /// An indented, key-sorted rendering for people (`--json` output); not used for hashing.
    public static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case let .array(items) where !items.isEmpty:
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case let .object(members) where !members.isEmpty:
            let keys = members.keys.sorted(by: precedes)
            return "{\n" + keys.map { inner + string(.string($0)) + ": " + pretty(members[$0]!, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return string(value)
        }
    }

    /// RFC 8785 key order: by UTF-16 code units.
    public static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf16.lexicographicallyPrecedes(right.utf16)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .number(number): out.append(contentsOf: format(number).utf8)
        case let .string(text): writeString(text, into: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            let normalized = members.map { (normalize($0.key), $0.value) }.sorted { precedes($0.0, $1.0) }
            for (index, member) in normalized.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.0, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// NFC, so that "é" typed as one code point or as e + combining accent is one key.
    /// ASCII text is its own NFC form, so it skips Foundation's normalizer (most keys and names are
    /// ASCII; a manifest of 10^5 columns spent most of its time there).
    public static func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in normalize(text).utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0c: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0x0a: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0d: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript's Number::toString for a finite double. - Precondition: `value.isFinite`.
    public static func format(_ value: Double) -> String {
        precondition(value.isFinite, "canonical JSON has no NaN or infinity")
        if value == 0 { return "0" }
        if value < 0 { return "-" + format(-value) }
        let (digits, pointPosition) = shortestDigits(value)
        let k = digits.count
        let n = pointPosition
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let sign = exponent < 0 ? "-" : "+"
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        return mantissa + "e" + sign + String(abs(exponent))
    }

    /// The shortest digit string `d` and point position `n` with `value = 0.d × 10^n`,
    /// taken from Swift's shortest round-trip `description`.
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count == 2 ? String(pieces[1]) : ""
        var digits = Array(integerPart + fractionPart)
        var point = integerPart.count
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), point + exponent)
    }
}
