import Testing
@testable import Journal

@Suite struct CanonicalJSONTests {
    /// ECMAScript number serialisation (RFC 8785 §3.2.2.3), the cases from the RFC's appendix and more.
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (1e0, "1"), (-1.5, "-1.5"), (0.001, "0.001"), (1e-7, "1e-7"),
        (123456789012345680000.0, "123456789012345680000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"), (0.1, "0.1"), (1e-6, "0.000001"), (333333333.3333333, "333333333.3333333"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (4.5e15, "4500000000000000"), (1e23, "1e+23"),
    ])
    func numbers(_ value: Double, _ expected: String) {
        #expect(CanonicalJSON.format(value) == expected)
    }

    @Test func keysSortedByUTF16AndNoWhitespace() {
        let value: JSONValue = ["b": 1, "a": [true, .null, "x"], "\u{20ac}": 2, "\u{1F600}": 3, "A": 0.5]
        #expect(CanonicalJSON.string(value) == "{\"A\":0.5,\"a\":[true,null,\"x\"],\"b\":1,\"\u{20ac}\":2,\"\u{1F600}\":3}")
    }

    @Test func stringsAreNFCAndEscaped() {
        let decomposed = JSONValue.string("e\u{301}\n\"\\\u{1}")
        #expect(CanonicalJSON.string(decomposed) == "\"\u{e9}\\n\\\"\\\\\\u0001\"")
    }

    @Test func oneAndOnePointZeroEncodeTheSame() throws {
        let spellings = ["{\"a\":1}", "{\"a\":1.0}", "{ \"a\" : 1e0 }", "{\"a\":10E-1}"]
        let encoded = try spellings.map { CanonicalJSON.bytes(try JSONParser.parse(Array($0.utf8), source: "t")) }
        #expect(Set(encoded).count == 1)
    }
}

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("{\"a\": 1,\n \"a\": 2}", "t.json line 2, column 2: duplicate key \"a\""),
        ("{\"a\": NaN}", "t.json line 1, column 7: NaN and Infinity are not numbers a journal can record"),
        ("{\"a\": 1e999}", "t.json line 1, column 7: 1e999 is outside the range of a double"),
        ("{\"a\": [1, 2}", "t.json line 1, column 12: expected `,` or `]`"),
        ("{\"a\": 01}", "t.json line 1, column 7: leading zeros are not allowed"),
        ("", "t.json line 1, column 1: unexpected end of file"),
        ("{} x", "t.json line 1, column 4: unexpected text after the JSON value"),
    ])
    func errorsNameLineAndColumn(_ text: String, _ message: String) {
        #expect(throws: (any Error).self) { try JSONParser.parse(Array(text.utf8), source: "t.json") }
        do {
            _ = try JSONParser.parse(Array(text.utf8), source: "t.json")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func parsesEscapesAndSurrogates() throws {
        let value = try JSONParser.parse(Array(#"{"s": "\u00e9\ud83d\ude00\t"}"#.utf8), source: "t")
        #expect(value["s"] == .string("\u{e9}\u{1F600}\t"))
    }
}
