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
}
