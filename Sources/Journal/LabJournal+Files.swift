import Foundation
import JournalStore

// MARK: - Files and folders of the user's disk as objects

extension LabJournal {
    /// Folders a snapshot of a code or output folder leaves out: other repositories, journals, build
    /// products and caches, which are not the program's source.
    public static let skippedFolders: Set<String> = [".git", ".journal", ".build", ".venv", "__pycache__", ".ipynb_checkpoints"]

    /// A file as a blob, or a folder as a tree of its regular files and subfolders (symbolic links
    /// inside folders and empty folders are left out). With `write: false` only the ids are
    /// computed, so asking for a run key writes nothing.
    /// - Throws: `JournalError.unreadable` naming the path when it does not exist, cannot be read, or
    ///   has a name git cannot store.
    /// - Parameter name: the entry's name in its parent tree.
    public func snapshot(_ path: String, named name: String, write: Bool) throws -> TreeEntry {
        try snapshotEntry(path, name: name, write: write)
            ?? { throw JournalError.unreadable(path: path, reason: "is an empty folder") }()
    }

    private func snapshotEntry(_ path: String, name: String, write: Bool) throws -> TreeEntry? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw JournalError.unreadable(path: path, reason: "no such file or folder")
        }
        guard GitRepository.isValidEntryName(name) else {
            throw JournalError.unreadable(path: path, reason: "its name cannot be stored in a git tree")
        }
        if !isDirectory.boolValue {
            let bytes = try FileReading.contents(of: path)
            return .blob(name, write ? try repository.writeBlob(bytes) : try repository.hashBlob(bytes))
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw JournalError.unreadable(path: path, reason: "the folder cannot be listed")
        }
        var entries: [TreeEntry] = []
        for child in names.sorted() where !Self.skippedFolders.contains(child) {
            let childPath = path + "/" + child
            let attributes = try? FileManager.default.attributesOfItem(atPath: childPath)
            guard let type = attributes?[.type] as? FileAttributeType, type == .typeRegular || type == .typeDirectory else { continue }
            if let entry = try snapshotEntry(childPath, name: child, write: write) { entries.append(entry) }
        }
        guard !entries.isEmpty else { return nil }
        return .tree(name, write ? try repository.writeTree(entries) : try repository.hashTree(entries))
    }

    // MARK: - A program's output folder, read without leaving it

    /// The largest file whose content xj parses (`metrics.json`, `curves.json`).
    public static let parsedFileLimit = 16 << 20

    /// Stores the regular files and folders below a program's output folder and reads the files
    /// named in `parsed`, without ever following a symbolic link: the walk goes through folder
    /// descriptors (`openat` with `O_NOFOLLOW`), a symbolic link, device or socket is skipped and
    /// listed, and the folder itself must still be the one xj created and held open. So a program
    /// cannot make xj copy a file from outside its folder into the journal.
    /// - Throws: `JournalError.unreadable` when the folder was replaced, or a file cannot be read.
    public func snapshotOutput(_ folder: HeldFolder, parsed names: Set<String>) throws -> OutputSnapshot {
        guard folder.isStillAtPath else {
            throw JournalError.unreadable(path: "XJ_OUTPUT", reason: "the output folder was removed or replaced (by a symbolic link or another folder); nothing in it was recorded")
        }
        var snapshot = OutputSnapshot()
        let entries = try outputEntries(folder.descriptor, relative: "", parsed: names, into: &snapshot)
        if !entries.isEmpty { snapshot.tree = .tree("output", try repository.writeTree(entries)) }
        return snapshot
    }

    private func outputEntries(_ folder: Int32, relative: String, parsed: Set<String>, into snapshot: inout OutputSnapshot) throws -> [TreeEntry] {
        var entries: [TreeEntry] = []
        for name in try Self.names(in: folder, path: relative) {
            let shown = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                snapshot.skipped.append(shown + " (a symbolic link; xj never follows one out of the output folder)")
            case S_IFDIR:
                guard !Self.skippedFolders.contains(name), GitRepository.isValidEntryName(name) else { continue }
                let child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { snapshot.skipped.append(shown + " (cannot be opened)"); continue }
                defer { close(child) }
                let inner = try outputEntries(child, relative: shown, parsed: [], into: &snapshot)
                if !inner.isEmpty { entries.append(.tree(name, try repository.writeTree(inner))) }
            case S_IFREG:
                guard GitRepository.isValidEntryName(name) else { snapshot.skipped.append(shown + " (its name cannot be stored)"); continue }
                let file = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                guard file >= 0 else { snapshot.skipped.append(shown + " (cannot be opened)"); continue }
                defer { close(file) }
                var opened = stat()
                guard fstat(file, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG else { continue }
                let size = UInt64(opened.st_size)
                if relative.isEmpty && parsed.contains(name) {
                    guard size <= UInt64(Self.parsedFileLimit) else {
                        throw JournalError.unreadable(path: "XJ_OUTPUT/" + name, reason: "is \(size) bytes; xj parses at most \(Self.parsedFileLimit) (16 MiB)")
                    }
                    snapshot.parsed[name] = try Self.readAll(file, size: size, path: "XJ_OUTPUT/" + shown)
                    continue
                }
                let writer = try repository.blobWriter(size: size, source: "XJ_OUTPUT/" + shown)
                do {
                    try Self.stream(file, size: size, path: "XJ_OUTPUT/" + shown) { try writer.append($0) }
                    entries.append(.blob(name, try writer.finish()))
                } catch {
                    writer.discard()
                    throw error
                }
            default:
                snapshot.skipped.append(shown + " (not a regular file or folder)")
            }
        }
        return entries
    }

    /// The names in an open folder, sorted (`fdopendir` on a duplicate, so the caller keeps its descriptor).
    private static func names(in folder: Int32, path: String) throws -> [String] {
        let copy = dup(folder)
        guard copy >= 0, let directory = fdopendir(copy) else {
            throw JournalError.unreadable(path: "XJ_OUTPUT/" + path, reason: "the folder cannot be listed")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Reads exactly `size` bytes in chunks; a file that grows or shrinks meanwhile is an error.
    private static func stream(_ file: Int32, size: UInt64, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var remaining = size
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, Int(min(UInt64($0.count), remaining))) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw JournalError.unreadable(path: path, reason: "changed while it was read") }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            remaining -= UInt64(count)
        }
    }

    private static func readAll(_ file: Int32, size: UInt64, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        try stream(file, size: size, path: path) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
