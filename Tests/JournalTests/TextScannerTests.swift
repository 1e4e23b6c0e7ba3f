import Testing
@testable import Journal

/// The text corpus scanner reads characters split across chunks the same as whole ones.
@Suite struct TextScannerTests {
    static let text = "Où est la bibliothèque?\nΓειά σου κόσμε\n日本語のテキスト 🎭\nend"

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func everyChunkSizeGivesTheSameManifest(_ size: Int) throws {
        let bytes = Array(Self.text.utf8)
        var scanner = TextScanner(source: "t.txt", trainFraction: 0.9, collect: true)
        var position = 0
        while position < bytes.count {
            let chunk = Array(bytes[position..<min(bytes.count, position + size)])
            try chunk.withUnsafeBytes { try scanner.consume($0) }
            position += size
        }
        let manifest = try scanner.finish(totalBytes: UInt64(bytes.count))
        #expect(manifest.characters == Self.text.unicodeScalars.count)
        #expect(manifest.rows == 4)
        #expect(manifest.classes.count == Set(Self.text.unicodeScalars).count)
        #expect(scanner.scalars == Self.text.unicodeScalars.map(\.value))
    }
}
