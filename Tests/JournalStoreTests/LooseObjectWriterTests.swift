import Foundation
import Testing
import XJTestSupport
@testable import JournalStore

@Suite struct LooseObjectWriterTests {
    /// The streamed, stored-deflate object has git's id and git reads it back byte for byte.
    @Test(arguments: [0, 1, 65_534, 65_535, 65_536, 200_000])
    func streamedBlobMatchesGit(size: Int) throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let writer = try repository.blobWriter(size: UInt64(size), source: "test")
            var offset = 0
            while offset < size {
                let step = min(7_001, size - offset)
                try bytes[offset..<offset + step].withUnsafeBytes { try writer.append($0) }
                offset += step
            }
            let id = try writer.finish()
            #expect(id == (try repository.hashBlob(bytes)))
            #expect(try repository.blob(id) == bytes)
            let path = try writeFile(folder, "content.bin", bytes)
            let gitHash = try BuiltBinary.git(["hash-object", path], in: folder).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(gitHash == id.hex)
            let check = try BuiltBinary.git(["--git-dir", folder + "/repo.git", "cat-file", "-p", id.hex], in: folder)
            #expect(check.status == 0)
            #expect(check.stdout.utf8.count == size || size == 0 || String(validating: bytes, as: UTF8.self) == nil)
        }
    }

    /// One append of 40 MB is 611 stored blocks, more pieces than one `writev` takes (1,024):
    /// every block and its header still arrive, in order.
    @Test func oneLargeAppendIsWrittenWhole() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let bytes = (0..<40_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 11) }
            let writer = try repository.blobWriter(size: UInt64(bytes.count), source: "large.bin")
            try bytes.withUnsafeBytes { try writer.append($0) }
            let id = try writer.finish()
            #expect(id == (try repository.hashBlob(bytes)))
            #expect(try repository.blob(id) == bytes)
            let size = try BuiltBinary.git(["--git-dir", folder + "/repo.git", "cat-file", "-s", id.hex], in: folder)
            #expect(size.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "40000000")
        }
    }

    @Test func wrongSizeLeavesNoObject() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let writer = try repository.blobWriter(size: 10, source: "short.bin")
            try [UInt8](repeating: 1, count: 5).withUnsafeBytes { try writer.append($0) }
            #expect(throws: StoreError.sizeMismatch(path: "short.bin", expected: 10, actual: 5)) { try writer.finish() }
            writer.discard()
            let objects = try FileManager.default.subpathsOfDirectory(atPath: folder + "/repo.git/objects").filter { $0.count == 41 }
            #expect(objects.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/repo.git/xj/tmp").isEmpty)
        }
    }
}

@Suite struct LooseObjectReaderTests {
    @Test func streamsTheContentAndRefusesACorruptObject() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
            let id = try repository.writeBlob(bytes)
            var streamed: [UInt8] = []
            var pieces = 0
            try repository.streamBlob(id) { streamed += $0; pieces += 1 }
            #expect(streamed == bytes)
            #expect(pieces > 1)
            let path = folder + "/repo.git/objects/" + id.hex.prefix(2) + "/" + id.hex.dropFirst(2)
            chmod(path, 0o644)
            var file = [UInt8](FileManager.default.contents(atPath: path)!)
            file[file.count / 2] ^= 0x55
            FileManager.default.createFile(atPath: path, contents: Data(file))
            #expect(throws: StoreError.self) { try repository.streamBlob(id) { _ in } }
        }
    }
}
