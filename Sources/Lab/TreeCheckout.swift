import Foundation
import Journal
import JournalStore

/// Writes a tree of the journal to a folder, file by file, for a program to run on (`xj reproduce`).
enum TreeCheckout {
    /// - Throws: `LabError.invalidData` for an entry name that is not one plain path component.
    static func write(_ tree: TreeID, to folder: String, repository: GitRepository) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for entry in try repository.tree(tree) {
            // git allows these names; a checkout must never leave the folder it was given.
            guard !entry.name.isEmpty, entry.name != ".", entry.name != "..", !entry.name.contains("/"), entry.name != ".git" else {
                throw LabError.invalidData("recorded tree \(tree.short) has an entry named `\(entry.name)`, which cannot be checked out")
            }
            let path = folder + "/" + entry.name
            switch entry.kind {
            case .tree: try write(TreeID(entry.id), to: path, repository: repository)
            case .blob: try Data(try repository.blob(BlobID(entry.id))).write(to: URL(fileURLWithPath: path))
            }
        }
    }
}
