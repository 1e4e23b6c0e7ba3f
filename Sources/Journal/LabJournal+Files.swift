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
}
