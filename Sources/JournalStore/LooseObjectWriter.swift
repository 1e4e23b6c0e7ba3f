import CZlib
import Foundation

/// Streams one blob into a loose object, hashing and wrapping it in one pass.
///
/// Git reads a loose object as a zlib stream of `"blob <size>\0" + content`. The stream is
/// written with stored (uncompressed, level-0) deflate blocks, which git and libgit2 read like
/// any other, so a large incompressible file costs a copy, not a compression (NOTES-native.md).
/// The object appears under `objects/` only on `finish()`, by rename, so a failed or killed
/// ingest leaves no object behind — at most a temporary file outside `objects/`.
///
/// The content is written from where the caller holds it, between the blocks' 5-byte headers, by
/// one `writev` per `append`: copying it into a buffer first cost as much as the adler32.
public final class LooseObjectWriter {
    private static let maximumStoredBlock = 65_535

    private let objectsDirectory: String
    private let temporaryPath: String
    private let sourceDescription: String
    private var descriptor: Int32
    private let declaredSize: UInt64
    private var contentReceived: UInt64 = 0
    private var streamRemaining: UInt64
    private var blockRemaining = 0
    private let hasher = SHA1Hasher()
    private var adler: uLong = 1
    /// The headers of the stored blocks begun by one `feed`, five bytes each, kept until written.
    private var blockHeaders: [UInt8] = []
    private var finished = false

    /// Opens a temporary file for a blob of `size` bytes.
    /// - Parameters:
    ///   - objectsDirectory: the repository's `objects` folder.
    ///   - temporaryDirectory: a folder on the same file system, for the file being written.
    ///   - size: the exact number of content bytes that `append` will receive.
    ///   - sourceDescription: names the source in errors (a file path).
    init(objectsDirectory: String, temporaryDirectory: String, size: UInt64, sourceDescription: String) throws {
        self.objectsDirectory = objectsDirectory
        self.sourceDescription = sourceDescription
        declaredSize = size
        var template = Array((temporaryDirectory + "/blob-XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw StoreError.io(path: temporaryDirectory, reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
        }
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let header = Array("blob \(size)\0".utf8)
        streamRemaining = UInt64(header.count) + size
        do {
            try [UInt8]([0x78, 0x01]).withUnsafeBytes { try writeAll([iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: 2)]) }
            try header.withUnsafeBytes { try feed($0) }
        } catch {
            discard()
            throw error
        }
    }

    deinit {
        if !finished { discard() }
    }

    /// Adds the next bytes of content.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        contentReceived += UInt64(bytes.count)
        guard contentReceived <= declaredSize else {
            throw StoreError.sizeMismatch(path: sourceDescription, expected: declaredSize, actual: contentReceived)
        }
        try feed(bytes)
    }

    /// Completes the stream and moves it into place; returns the blob's id.
    /// An object that already exists is kept as it is (objects are immutable).
    public func finish() throws -> BlobID {
        guard contentReceived == declaredSize else {
            throw StoreError.sizeMismatch(path: sourceDescription, expected: declaredSize, actual: contentReceived)
        }
        let checksum = UInt32(truncatingIfNeeded: adler)
        var trailer = [UInt8(checksum >> 24), UInt8(checksum >> 16 & 0xff), UInt8(checksum >> 8 & 0xff), UInt8(checksum & 0xff)]
        try trailer.withUnsafeMutableBytes { try writeAll([iovec(iov_base: $0.baseAddress, iov_len: 4)]) }
        close(descriptor)
        descriptor = -1
        let id = hasher.finish()
        let hex = id.hex
        let folder = objectsDirectory + "/" + hex.prefix(2)
        let target = folder + "/" + hex.dropFirst(2)
        mkdir(folder, 0o755)
        if access(target, F_OK) == 0 {
            unlink(temporaryPath)
        } else {
            chmod(temporaryPath, 0o444)
            guard rename(temporaryPath, target) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporaryPath)
                throw StoreError.io(path: target, reason: "cannot move the object into place: \(reason)")
            }
        }
        finished = true
        return BlobID(id)
    }

    /// Drops the temporary file; nothing reaches `objects/`.
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        finished = true
    }

    /// Hashes and checksums the bytes and writes them as the content of stored blocks.
    private func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        hasher.update(bytes)
        adler = adler32(adler, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
        // Where each piece goes: (offset in `blockHeaders`, 5) for a header, else (offset in `bytes`, length).
        var pieces: [(isHeader: Bool, offset: Int, length: Int)] = []
        blockHeaders.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < bytes.count {
            if blockRemaining == 0 {
                pieces.append((true, blockHeaders.count, 5))
                startBlock()
            }
            let take = min(blockRemaining, bytes.count - offset)
            pieces.append((false, offset, take))
            offset += take
            blockRemaining -= take
            streamRemaining -= UInt64(take)
        }
        try blockHeaders.withUnsafeMutableBytes { headers in
            let content = UnsafeMutableRawPointer(mutating: base)
            try writeAll(pieces.map { piece in
                iovec(iov_base: (piece.isHeader ? headers.baseAddress! : content) + piece.offset, iov_len: piece.length)
            })
        }
    }

    /// Appends a stored block's header to `blockHeaders`: final flag, LEN and its complement, little-endian.
    private func startBlock() {
        let length = Int(min(UInt64(Self.maximumStoredBlock), streamRemaining))
        let isFinal: UInt8 = UInt64(length) == streamRemaining ? 1 : 0
        let complement = ~UInt16(length)
        blockHeaders.append(contentsOf: [isFinal, UInt8(length & 0xff), UInt8(length >> 8), UInt8(complement & 0xff), UInt8(complement >> 8)])
        blockRemaining = length
    }

    /// Writes every piece, in order, however the system splits the writes.
    private func writeAll(_ pieces: [iovec]) throws {
        var pieces = pieces[...]
        while !pieces.isEmpty {
            let batch = min(pieces.count, 1024)  // IOV_MAX on Linux
            let result = pieces.withUnsafeBufferPointer { writev(descriptor, $0.baseAddress, Int32(batch)) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let reason = result < 0 ? String(cString: strerror(errno)) : "nothing was written"
                throw StoreError.io(path: temporaryPath, reason: "write failed: \(reason)")
            }
            // Drop what was written: whole pieces, then the written start of a partly written one.
            var written = result
            while written > 0 {
                let length = pieces[pieces.startIndex].iov_len
                if written >= length {
                    pieces.removeFirst()
                    written -= length
                } else {
                    pieces[pieces.startIndex].iov_base = pieces[pieces.startIndex].iov_base! + written
                    pieces[pieces.startIndex].iov_len -= written
                    written = 0
                }
            }
        }
    }
}
