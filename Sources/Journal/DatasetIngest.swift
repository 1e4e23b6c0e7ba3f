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
        default: throw JournalError.unreadable(path: path, reason: "a dataset must be a .csv or .npy file, or text added with --text")
        }
    }

    /// Streams `path` into the store. - Returns: the manifest and the id of the data blob.
    /// - Parameter textSplit: store the file as a text corpus (`--text`) whose first share of
    ///   characters is the training text.
    public static func ingest(path: String, label: String?, textSplit: Double? = nil, into repository: GitRepository) throws -> (DatasetManifest, BlobID) {
        let format = try textSplit == nil ? format(of: path) : .text
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
        var scanner: DatasetScanner = switch format {
        case .csv: CSVScanner(source: source, label: label)
        case .npy: NpyScanner(source: source, label: label, fileSize: size)
        case .text: TextScanner(source: source, trainFraction: textSplit ?? 0.9)
        }
        let writer = try repository.blobWriter(size: size, source: path)
        // Hashing and copying into the object run on a second thread while this one scans:
        // each chunk is handed over once read, and at most two wait, so memory stays flat.
        let writerQueue = DispatchQueue(label: "xj.ingest.writer")
        let inFlight = DispatchSemaphore(value: 2)
        let writeFailure = FailureBox()
        do {
            while true {
                var readError: Int32 = 0
                let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                    var count = -1
                    repeat { count = read(descriptor, buffer.baseAddress, chunkSize) } while count < 0 && errno == EINTR
                    if count < 0 { readError = errno }
                    initialized = max(count, 0)
                }
                guard readError == 0 else { throw JournalError.unreadable(path: path, reason: String(cString: strerror(readError))) }
                if chunk.isEmpty { break }
                inFlight.wait()
                writerQueue.async {
                    if writeFailure.error == nil {
                        do { try chunk.withUnsafeBytes { try writer.append($0) } } catch { writeFailure.error = error }
                    }
                    inFlight.signal()
                }
                try chunk.withUnsafeBytes { try scanner.consume($0) }
            }
            writerQueue.sync {}
            if let error = writeFailure.error { throw error }
            let manifest = try scanner.finish(totalBytes: size)
            return (manifest, try writer.finish())
        } catch {
            writerQueue.sync {}
            writer.discard()
            throw error
        }
    }
}

/// The first error of the writer thread, read by the scanning thread after it has joined.
private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
