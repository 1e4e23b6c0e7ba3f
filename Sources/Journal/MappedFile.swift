import Foundation

/// A derived file mapped read-only into memory: a lookup in a 7 MB index touches the few pages it
/// searches instead of copying the file. Files xj maps are only ever replaced by rename or appended
/// to, never rewritten or cut in place, so the mapped bytes stay valid and unchanged while held.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// The mapped file, open for `read(at:count:into:)` (-1 for bytes copied).
    private let descriptor: Int32

    /// Maps `path`; nil when it is missing, empty or cannot be mapped.
    init?(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0,
              let address = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            close(descriptor)
            return nil
        }
        bytes = UnsafeRawBufferPointer(start: address, count: Int(status.st_size))
        self.descriptor = descriptor
    }

    /// Bytes already in memory (an index built in this process), kept for the snapshot's lifetime.
    init(copying buffer: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(buffer.count, 1), alignment: 8)
        buffer.withUnsafeBytes { storage.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<buffer.count])
        owned = true
        descriptor = -1
    }

    private var owned = false

    /// Copies `count` bytes at `offset` of the same file into the start of `buffer` (grown to fit), with
    /// `pread` rather than through the mapping: the kernel maps 64 KB of the file around each page a
    /// read touches, so 100,000 records read out of file order put the whole file into the process's
    /// memory. False when the bytes are not in the file.
    func read(at offset: Int, count: Int, into buffer: inout [UInt8]) -> Bool {
        guard offset >= 0, count >= 0, offset + count <= bytes.count else { return false }
        if buffer.count < count { buffer += repeatElement(0, count: count - buffer.count) }
        if owned {
            buffer.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])) }
            return true
        }
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return false }
            done += got
        }
        return true
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if owned { base.deallocate() } else {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
            close(descriptor)
        }
    }
}
