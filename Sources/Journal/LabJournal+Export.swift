import Foundation
import JournalStore

// MARK: - Getting an experiment's files out

extension LabJournal {
    /// The files of an experiment tree below `path` (a file or a folder; nil: every file except the
    /// dataset's data, which `xj show` and `git` reach by its own id), as (path, blob) in path order.
    /// - Throws: `JournalError.invalidName` when the path is not in the tree, with the closest one.
    public func experimentFiles(_ experiment: TreeID, under path: String?) throws -> [(path: String, blob: BlobID)] {
        var files: [(String, BlobID)] = []
        func walk(_ tree: TreeID, prefix: String) throws {
            for entry in try repository.tree(tree) {
                let entryPath = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                switch entry.kind {
                case .tree: try walk(TreeID(entry.id), prefix: entryPath)
                case .blob: files.append((entryPath, BlobID(entry.id)))
                }
            }
        }
        guard let path else {
            try walk(experiment, prefix: "")
            return files.filter { !$0.0.hasPrefix("inputs/dataset/") || $0.0.hasSuffix("/manifest.json") }
        }
        let trimmed = path.split(separator: "/").joined(separator: "/")
        guard !trimmed.isEmpty, let entry = try repository.entry(at: trimmed, in: experiment) else {
            var all: [(String, BlobID)] = []
            swap(&all, &files)
            try walk(experiment, prefix: "")
            let known = files.map(\.0)
            let names = known + known.map { String($0.split(separator: "/").last ?? "") }
            var hint = RecordNames.suggestion(for: path, among: names)
            if let near = RecordNames.nearest(to: path, among: names), !known.contains(near), let full = known.first(where: { $0.hasSuffix("/" + near) }) {
                hint = " (did you mean \(full.debugDescription)?)"
            }
            throw JournalError.invalidName(kind: "file", name: path, reason: "is not in experiment \(experiment.short)" + hint + "; its files: " + known.prefix(6).joined(separator: ", ") + (known.count > 6 ? ", …" : ""))
        }
        if entry.kind == .blob { return [(trimmed, BlobID(entry.id))] }
        try walk(TreeID(entry.id), prefix: trimmed)
        return files
    }
}
