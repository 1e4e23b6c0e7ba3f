/// Fast decimal parsing for dataset cells.
enum NumberParsing {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` between `start` and `end`, or returns nil.
    ///
    /// Exact: a mantissa of at most 15 digits with a power of ten up to 22 is one correctly rounded
    /// IEEE multiply or divide (Clinger's fast path); anything else goes through the C library's `strtod`.
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        if base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+") {
            negative = base[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var scale = 0
        var sawDigit = false
        while index < end, base[index] &- 48 < 10 {
            let digit = UInt64(base[index] &- 48)
            if significant < 19 {
                mantissa = mantissa &* 10 &+ digit
                if mantissa > 0 { significant += 1 }
            } else {
                scale += 1
            }
            digits += 1
            sawDigit = true
            index += 1
        }
        if index < end, base[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, base[index] &- 48 < 10 {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[index] &- 48)
                    if mantissa > 0 { significant += 1 }
                    scale -= 1
                }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < end, base[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+") {
                exponentNegative = base[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponentDigits = 0
            while index < end, base[index] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(base[index] &- 48) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return nil }
        let power = scale + exponent
        if significant <= 15 && abs(power) <= 22 {
            var value = Double(mantissa)
            value = power < 0 ? value / powersOfTen[-power] : value * powersOfTen[power]
            return negative ? -value : value
        }
        return slowParse(base, start, end)
    }

    private static func slowParse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
