import Foundation

/// A derived file mapped read-only into memory: a lookup in a 7 MB index touches the few pages it
/// searches instead of copying the file. Files xj maps are only ever replaced by rename or appended
/// to, never rewritten or cut in place, so the mapped bytes stay valid and unchanged while held.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    /// Maps `path`; nil when it is missing, empty or cannot be mapped.
    init?(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Bytes already in memory (an index built in this process), kept for the snapshot's lifetime.
    init(copying buffer: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(buffer.count, 1), alignment: 8)
        buffer.withUnsafeBytes { storage.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<buffer.count])
        owned = true
    }

    private var owned = false

    deinit {
        guard let base = bytes.baseAddress else { return }
        if owned { base.deallocate() } else { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
