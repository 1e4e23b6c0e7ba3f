import CZlib
import Foundation

/// Streams the content of a loose blob from its file, inflating chunk by chunk and checking that
/// the bytes hash to the object's id, so a large dataset is read with flat memory.
enum LooseObjectReader {
    static let chunkSize = 1 << 20

    /// Calls `body` with consecutive pieces of the blob's content.
    /// - Returns: false when there is no loose file for `id` (it may be packed).
    /// - Throws: `StoreError` when the file is corrupt or does not hash to `id`.
    static func stream(_ id: ObjectID, objectsDirectory: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let hex = id.hex
        let path = objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw StoreError.io(path: path, reason: "cannot start zlib")
        }
        defer { inflateEnd(&stream) }
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { input.deallocate(); output.deallocate() }
        let hasher = SHA1Hasher()
        var headerDone = false
        var header: [UInt8] = []
        var finished = false
        while !finished {
            let count = read(descriptor, input, chunkSize)
            guard count >= 0 else { throw StoreError.io(path: path, reason: String(cString: strerror(errno))) }
            guard count > 0 else { throw StoreError.io(path: path, reason: "the object ends early (corrupt)") }
            stream.next_in = input
            stream.avail_in = uInt(count)
            while stream.avail_in > 0 && !finished {
                stream.next_out = output
                stream.avail_out = uInt(chunkSize)
                let status = inflate(&stream, Z_NO_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw StoreError.io(path: path, reason: "the object does not inflate (corrupt, zlib status \(status))")
                }
                finished = status == Z_STREAM_END
                var produced = UnsafeRawBufferPointer(start: output, count: chunkSize - Int(stream.avail_out))
                hasher.update(produced)
                if !headerDone {
                    guard let zero = produced.firstIndex(of: 0) else {
                        header += produced
                        continue
                    }
                    header += produced[..<zero]
                    guard header.starts(with: Array("blob ".utf8)) else {
                        throw StoreError.wrongObjectType(id: hex, expected: "blob", actual: String(decoding: header.prefix { $0 != 0x20 }, as: UTF8.self))
                    }
                    headerDone = true
                    produced = UnsafeRawBufferPointer(rebasing: produced[(zero + 1)...])
                }
                if !produced.isEmpty { try body(produced) }
            }
        }
        guard hasher.finish() == id else { throw StoreError.io(path: path, reason: "the object's content does not hash to its id (corrupt)") }
        return true
    }
}
