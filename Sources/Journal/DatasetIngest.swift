import Foundation

/// Stores a dataset file as a blob and computes its manifest in the same single streaming pass.
///
/// The file is read in 4 MiB chunks; each chunk is hashed and copied into the loose object and
/// scanned for the manifest, so memory stays flat whatever the file's size. When the scan finds
/// bad input the partial object is discarded: the journal is left as it was.
public enum DatasetIngest {
    static let chunkSize = 4 << 20

    /// The format of a dataset file, from its extension (`.csv`, `.npy`).
    public static func format(of path: String) throws -> DatasetManifest.Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "npy": return .npy
        default: throw JournalError.unreadable(path: path, reason: "a dataset must be a .csv or .npy file")
        }
    }

    /// Streams `path` into the store. - Returns: the manifest and the id of the data blob.
    public static func ingest(path: String, label: String?, into repository: GitRepository) throws -> (DatasetManifest, BlobID) {
        let format = try format(of: path)
        let source = (path as NSString).lastPathComponent
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw JournalError.unreadable(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw JournalError.unreadable(path: path, reason: "is not a regular file")
        }
        let size = UInt64(status.st_size)
        guard size > 0 else { throw JournalError.invalidDataset(source: source, location: nil, message: "the file is empty") }
        var scanner: DatasetScanner = format == .csv ? CSVScanner(source: source, label: label) : NpyScanner(source: source, label: label)
        let writer = try repository.blobWriter(size: size, source: path)
        do {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = read(descriptor, buffer.baseAddress, chunkSize)
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw JournalError.unreadable(path: path, reason: String(cString: strerror(errno))) }
                if count == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                try writer.append(chunk)
                try scanner.consume(chunk)
            }
            let manifest = try scanner.finish(totalBytes: size)
            return (manifest, try writer.finish())
        } catch {
            writer.discard()
            throw error
        }
    }
}
