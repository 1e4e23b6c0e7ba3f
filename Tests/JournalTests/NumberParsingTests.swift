import Foundation
import Testing
@testable import Journal
import Training

/// A short number ("123.456", "-7") is read from one 8-byte load when the bytes after it may be
/// loaded; that reading must give the general path's answer, stop and bits, for any bytes.
@Suite struct NumberParsingTests {
    /// Parses `token` followed by `after`: digit by digit (no `readableEnd`), and with 16 more bytes
    /// readable past its end (the short path where it applies).
    static func bothWays(_ token: [UInt8], after: [UInt8]) -> ((Int, UInt64), (Int, UInt64)) {
        let general = token.withUnsafeBufferPointer { buffer -> (Int, UInt64) in
            var value = 0.0
            guard let base = buffer.baseAddress else { return (-1, 0) }
            let stop = NumberParsing.parsePrefix(base, 0, buffer.count, &value)
            return (stop, stop < 0 ? 0 : value.bitPattern)
        }
        let padded = token + after
        let loaded = padded.withUnsafeBufferPointer { buffer -> (Int, UInt64) in
            var value = 0.0
            let stop = NumberParsing.parsePrefix(buffer.baseAddress!, 0, token.count, readableEnd: buffer.count, &value)
            return (stop, stop < 0 ? 0 : value.bitPattern)
        }
        return (general, loaded)
    }

    @Test func theShortPathGivesTheGeneralPathsAnswer() {
        var generator = SeededGenerator(seed: 20261130)
        let alphabet = Array("0123456789012345678901234567890123456789..--+eE,x\n\r ".utf8)
        for round in 0..<200_000 {
            let length = Int.random(in: 1...12, using: &generator)
            let token = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            // What follows the token's end may be digits, a point or an exponent: none of it may be taken.
            let after = (0..<16).map { _ in alphabet.randomElement(using: &generator)! }
            let (general, loaded) = Self.bothWays(token, after: after)
            if general != loaded {
                Issue.record("round \(round): \(String(decoding: token, as: UTF8.self).debugDescription) + \(String(decoding: after, as: UTF8.self).debugDescription): general \(general), loaded \(loaded)")
                return
            }
        }
    }

    @Test(arguments: ["0", "7", "-7", "+3", "123.456", "999.999", "0.001", ".5", "5.", "-0", "-0.0", "1234567", "123456.7", "1.234567"])
    func shortNumbersAreExact(text: String) {
        let token = Array(text.utf8)
        let (general, loaded) = Self.bothWays(token, after: Array(",1.5e3,\n12345678".utf8))
        #expect(loaded == general)
        #expect(loaded.0 == token.count)
        #expect(Double(bitPattern: loaded.1) == Double(text) ?? Double(text + "0"))
    }
}
