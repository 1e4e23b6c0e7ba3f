/// Scans a text corpus (`xj add corpus.txt --text`): strict UTF-8, no NUL byte (a binary file), at
/// most `vocabularyLimit` distinct characters; counts lines and characters and collects the
/// vocabulary, and with `collect` the characters themselves (for training).
struct TextScanner: DatasetScanner {
    static let vocabularyLimit = 4096

    let source: String
    let trainFraction: Double
    let collect: Bool
    private var offset: UInt64 = 0
    private var pending: [UInt8] = []
    private var lines = 0
    private var characters = 0
    private var lastWasNewline = true
    private var vocabulary: Set<UInt32> = []
    /// The characters in order (with `collect`).
    private(set) var scalars: [UInt32] = []

    init(source: String, trainFraction: Double, collect: Bool = false) {
        self.source = source
        self.trainFraction = trainFraction
        self.collect = collect
    }

    private func invalid(_ message: String, at position: UInt64) -> JournalError {
        .invalidDataset(source: source, location: "byte \(position + 1)", message: message)
    }

    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws {
        var bytes = pending
        bytes.append(contentsOf: chunk)
        pending = []
        var index = 0
        let start = offset - UInt64(bytes.count - chunk.count)
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var scalar: UInt32
            switch lead {
            case 0x00: throw invalid("a NUL byte: this is a binary file, not text", at: start + UInt64(index))
            case 0x01...0x7F: length = 1; scalar = UInt32(lead)
            case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
            default: throw invalid("invalid UTF-8 (byte 0x\(String(lead, radix: 16)))", at: start + UInt64(index))
            }
            if index + length > bytes.count {
                for byte in bytes[(index + 1)...] where byte & 0xC0 != 0x80 {
                    throw invalid("invalid UTF-8 (a broken multi-byte character)", at: start + UInt64(index))
                }
                // A character split across two chunks: finish it with the next one.
                pending = Array(bytes[index...])
                break
            }
            for continuation in 1..<max(length, 1) where length > 1 {
                let byte = bytes[index + continuation]
                guard byte & 0xC0 == 0x80 else { throw invalid("invalid UTF-8 (a broken multi-byte character)", at: start + UInt64(index)) }
                scalar = scalar << 6 | UInt32(byte & 0x3F)
            }
            let minimum: UInt32 = [0, 0, 0x80, 0x800, 0x10000][length]
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                throw invalid("invalid UTF-8 (an overlong form or a surrogate)", at: start + UInt64(index))
            }
            if vocabulary.insert(scalar).inserted, vocabulary.count > Self.vocabularyLimit {
                throw invalid("more than \(Self.vocabularyLimit) distinct characters: a character model needs a small alphabet", at: start + UInt64(index))
            }
            characters += 1
            if scalar == 10 { lines += 1 }
            lastWasNewline = scalar == 10
            if collect { scalars.append(scalar) }
            index += length
        }
        offset += UInt64(chunk.count)
    }

    mutating func finish(totalBytes: UInt64) throws -> DatasetManifest {
        if !pending.isEmpty { throw invalid("invalid UTF-8 (the file ends inside a character)", at: totalBytes - UInt64(pending.count)) }
        guard characters >= 2 else { throw JournalError.invalidDataset(source: source, location: nil, message: "a text corpus needs at least two characters") }
        var manifest = DatasetManifest(format: .text, rows: lines + (lastWasNewline ? 0 : 1), bytes: totalBytes, columns: [], label: "",
                                       task: .classification, classes: vocabulary.sorted().map { .string(String(Character(Unicode.Scalar($0)!))) }, dtype: nil)
        manifest.characters = characters
        manifest.trainFraction = trainFraction
        return manifest
    }
}
