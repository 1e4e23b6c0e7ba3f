import Foundation

/// Reading user files with errors that name the file.
enum FileReading {
    /// The whole file. - Throws: `JournalError.unreadable` naming the path.
    static func contents(of path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw JournalError.unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw JournalError.unreadable(path: path, reason: "is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError.unreadable(path: path, reason: "cannot be read")
        }
        return [UInt8](data)
    }

    /// A derived file's bytes in one read(2) of its size (Foundation's reader goes in small pieces);
    /// nil when it is missing or cannot be read whole.
    static func wholeFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let count = read(descriptor, buffer.baseAddress! + offset, size - offset)
                if count <= 0 { complete = false; break }
                offset += count
            }
            initialized = offset
        }
        return complete ? bytes : nil
    }
}
