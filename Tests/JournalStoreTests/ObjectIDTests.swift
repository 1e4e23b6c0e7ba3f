import Testing
@testable import JournalStore

@Suite struct ObjectIDTests {
    @Test func hexRoundTrip() throws {
        let hex = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        let id = try #require(ObjectID(hex: hex))
        #expect(id.hex == hex)
        #expect(id.short == "e69de29")
        #expect(ObjectID(hex: id.hex.uppercased()) == id)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 40), String(repeating: "0", count: 41)])
    func rejectsMalformedHex(_ text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    /// The digit-by-digit prefix match agrees with `hex.hasPrefix` for every prefix length, odd and
    /// even, and refuses non-hex digits and over-long prefixes.
    @Test func hexPrefixAgreesWithTheHexString() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let other = ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
            for length in 0...40 {
                let prefix = String(other.hex.prefix(length))
                #expect(id.hasHexPrefix(Array(prefix.utf8)) == id.hex.hasPrefix(prefix))
                #expect(id.hasHexPrefix(Array(id.hex.prefix(length).utf8)))
            }
        }
        let id = try #require(ObjectID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"))
        #expect(!id.hasHexPrefix(Array("e69z".utf8)))
        #expect(!id.hasHexPrefix(Array((id.hex + "0").utf8)))
    }

    /// Ids order as their hex digits do, also when their first eight bytes are equal (the fast
    /// comparison's fallback) or differ only in a high bit.
    @Test func idsOrderAsTheirHexDigits() {
        var generator = SystemRandomNumberGenerator()
        var ids: [ObjectID] = (0..<300).map { _ in ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        let shared = [UInt8](repeating: 0x80, count: 8)
        ids += (0..<50).map { _ in ObjectID(bytes: shared + (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        ids.append(ObjectID(bytes: [0x7f] + [UInt8](repeating: 0xff, count: 19)))
        ids.append(ObjectID(bytes: [0x80] + [UInt8](repeating: 0, count: 19)))
        #expect(ids.sorted().map(\.hex) == ids.map(\.hex).sorted())
        for (left, right) in zip(ids, ids.shuffled()) { #expect((left < right) == (left.hex < right.hex)) }
    }
}
