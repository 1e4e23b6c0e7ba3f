import Foundation

/// Fast decimal parsing for dataset cells.
enum NumberParsing {
    /// 10^exponent for 0...22, exact in a double; a switch, so no lazily initialised table is touched per call.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// The number at the start of the eight bytes of `word` (the first byte lowest), when it is
    /// digits, optionally a point and more digits, seven bytes at most, and the byte after it is
    /// in the word and no exponent: its length and value. Otherwise (0, 0), for the general path.
    ///
    /// Without a branch per digit: where a number of one to three digits ends is a coin toss for
    /// the branch predictor, and each miss cost more than the digits. A byte is a digit when its high
    /// nibble is 3 and adding 6 leaves it 3; a carry out of a non-digit only reaches later bytes.
    @inline(__always)
    static func shortNumber(_ word: UInt64) -> (length: Int, value: Double) {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        let notDigits = ((word & highNibbles) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & highNibbles) ^ threes)
        let integerDigits = notDigits.trailingZeroBitCount / 8
        var digitBytes = word
        var fractionDigits = 0
        var length = integerDigits
        if integerDigits < 8, (word >> UInt64(8 * integerDigits)) & 0xFF == UInt64(UInt8(ascii: ".")) {
            fractionDigits = (notDigits >> UInt64(8 * integerDigits + 8)).trailingZeroBitCount / 8
            length = integerDigits + 1 + fractionDigits
            // The point taken out: the fraction's digits moved down one byte onto it.
            let integerPart = integerDigits == 0 ? 0 : word & (UInt64.max >> UInt64(64 - 8 * integerDigits))
            digitBytes = integerPart | (word >> UInt64(8 * integerDigits + 8)) << UInt64(8 * integerDigits)
        }
        let count = integerDigits + fractionDigits
        guard length < 8, count > 0, (word >> UInt64(8 * length)) & 0xDF != UInt64(UInt8(ascii: "E")) else { return (0, 0) }
        // The digits moved to the top bytes, so the zero bytes below read as leading zeros; then
        // pairs, fours and eights of digits are joined by one multiply each.
        var digits = (digitBytes & 0x0F0F_0F0F_0F0F_0F0F) << UInt64(64 - 8 * count)
        digits = (digits &* 2561) >> 8 & 0x00FF_00FF_00FF_00FF
        digits = (digits &* 6_553_601) >> 16 & 0x0000_FFFF_0000_FFFF
        digits = (digits &* 42_949_672_960_001) >> 32
        // At most seven digits and a power of ten up to 10^7: exact, as the general fast path.
        return (length, Double(digits) / powerOfTen(fractionDigits))
    }

    /// Parses a whole cell `[+-]digits[.digits][(e|E)[+-]digits]` between `start` and `end`, or returns nil.
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var value = 0.0
        return parsePrefix(base, start, end, &value) == end ? value : nil
    }

    /// Parses the longest number at `start`, stopping at the first byte that cannot continue it.
    ///
    /// Exact: a mantissa of at most 15 digits with a power of ten up to 22 is one correctly rounded
    /// IEEE multiply or divide (Clinger's fast path); anything else goes through `strtod`.
    /// - Parameter readableEnd: how far bytes may be loaded (at least `end`). When given, a short
    ///   number is read from one 8-byte load (`shortNumber`); bytes past `end` are never part of it.
    ///   Without it, digit by digit.
    /// - Returns: the offset where the number stops, or -1 when there is no number at `start`.
    @inline(__always)
    static func parsePrefix(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, readableEnd: Int? = nil, _ value: inout Double) -> Int {
        var index = start
        guard index < end else { return -1 }
        var negative = false
        if base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+") {
            negative = base[index] == UInt8(ascii: "-")
            index += 1
        }
        if let readableEnd, index + 8 <= readableEnd {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let (length, magnitude) = shortNumber(word)
            if length > 0 && index + length <= end {
                value = negative ? -magnitude : magnitude
                return index + length
            }
        }
        // Digits beyond 19 wrap the mantissa, but more than 15 digits take the exact slow path anyway.
        var mantissa: UInt64 = 0
        var digits = 0
        while index < end {
            let digit = base[index] &- 48
            if digit >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            digits += 1
            index += 1
        }
        var fractionDigits = 0
        if index < end, base[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = base[index] &- 48
                if digit >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                fractionDigits += 1
                index += 1
            }
        }
        let sawDigit = digits + fractionDigits > 0
        let significant = digits + fractionDigits
        let scale = -fractionDigits
        guard sawDigit else { return -1 }
        var exponent = 0
        if index < end, base[index] | 0x20 == UInt8(ascii: "e") {
            var cursor = index + 1
            var exponentNegative = false
            if cursor < end, base[cursor] == UInt8(ascii: "-") || base[cursor] == UInt8(ascii: "+") {
                exponentNegative = base[cursor] == UInt8(ascii: "-")
                cursor += 1
            }
            var exponentDigits = 0
            while cursor < end, base[cursor] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(base[cursor] &- 48) }
                exponentDigits += 1
                cursor += 1
            }
            guard exponentDigits > 0 else { return -1 }
            if exponentNegative { exponent = -exponent }
            index = cursor
        }
        let power = scale + exponent
        if significant <= 15 && power >= -22 && power <= 22 {
            let magnitude = Double(Int64(bitPattern: mantissa))
            let result = power < 0 ? magnitude / powerOfTen(-power) : magnitude * powerOfTen(power)
            value = negative ? -result : result
            return index
        }
        guard let slow = slowParse(base, start, index) else { return -1 }
        value = slow
        return index
    }

    private static func slowParse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
