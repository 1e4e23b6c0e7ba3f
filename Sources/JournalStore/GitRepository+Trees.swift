import CGit2

// MARK: - Trees

extension GitRepository {
    /// The entries of a tree, in git's order.
    public func tree(_ id: TreeID) throws -> [TreeEntry] {
        if let entries = try directReads?.tree(id.object) { return entries }
        let tree = try lookup(id.object, kind: .tree)
        let count = git_tree_entrycount(tree.pointer)
        var entries: [TreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            entries.append(Self.copy(entry))
        }
        return entries
    }

    /// Writes a tree holding exactly `entries` (`git_treebuilder_write`); names must be unique and valid.
    public func writeTree(_ entries: [TreeEntry]) throws -> TreeID {
        var builder: OpaquePointer?
        try Libgit2.check(git_treebuilder_new(&builder, pointer, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        for entry in entries {
            guard Self.isValidEntryName(entry.name) else { throw StoreError.invalidPath(entry.name) }
            var oid = entry.id.oid
            let mode = entry.kind == .blob ? GIT_FILEMODE_BLOB : GIT_FILEMODE_TREE
            try Libgit2.check(git_treebuilder_insert(nil, builder, entry.name, &oid, mode), "git_treebuilder_insert")
        }
        var oid = git_oid()
        try Libgit2.check(git_treebuilder_write(&oid, builder), "git_treebuilder_write")
        return TreeID(ObjectID(oid))
    }

    /// The entry at a slash-separated path below a tree, or nil (`git_tree_entry_bypath`).
    public func entry(at path: String, in root: TreeID) throws -> TreeEntry? {
        if directReads != nil {
            // The same walk as git_tree_entry_bypath: every component but the last names a folder, and
            // names are compared byte for byte, as libgit2 compares them.
            var folder = root
            let bytes = path.utf8
            var start = bytes.startIndex
            while true {
                let slash = bytes[start...].firstIndex(of: UInt8(ascii: "/"))
                let component = bytes[start..<(slash ?? bytes.endIndex)]
                guard !component.isEmpty, let entry = try tree(folder).first(where: { $0.name.utf8.elementsEqual(component) }) else { return nil }
                guard let slash else { return entry }
                guard entry.kind == .tree else { return nil }
                start = bytes.index(after: slash)
                // A trailing slash names the folder itself.
                if start == bytes.endIndex { return entry }
                folder = TreeID(entry.id)
            }
        }
        let tree = try lookup(root.object, kind: .tree)
        var entry: OpaquePointer?
        let status = git_tree_entry_bypath(&entry, tree.pointer, path)
        if status == GIT_ENOTFOUND.rawValue { return nil }
        try Libgit2.check(status, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return Self.copy(entry!)
    }

    /// Writes the tree that results from putting or removing entries at paths below `root`
    /// (nil: start from an empty tree). Subtrees left empty disappear, as in git.
    /// Only the trees on the edited paths are rewritten.
    public func editTree(_ root: TreeID?, _ edits: [String: TreeEntry?]) throws -> TreeID {
        var split: [[String]: TreeEntry?] = [:]
        for (path, entry) in edits {
            let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard !components.isEmpty, components.allSatisfy(Self.isValidEntryName) else { throw StoreError.invalidPath(path) }
            split[components] = entry
        }
        return try editTree(root, split, depth: 0) ?? writeTree([])
    }

    private func editTree(_ root: TreeID?, _ edits: [[String]: TreeEntry?], depth: Int) throws -> TreeID? {
        var entries: [String: TreeEntry] = [:]
        if let root {
            for entry in try tree(root) { entries[entry.name] = entry }
        }
        var deeper: [String: [[String]: TreeEntry?]] = [:]
        for (components, entry) in edits {
            let name = components[depth]
            if components.count == depth + 1 {
                if let entry {
                    entries[name] = TreeEntry(name: name, kind: entry.kind, id: entry.id)
                } else {
                    entries[name] = nil
                }
            } else {
                deeper[name, default: [:]][components] = entry
            }
        }
        for (name, subEdits) in deeper {
            let existing = entries[name].flatMap { $0.kind == .tree ? TreeID($0.id) : nil }
            if let subtree = try editTree(existing, subEdits, depth: depth + 1) {
                entries[name] = .tree(name, subtree)
            } else {
                entries[name] = nil
            }
        }
        if entries.isEmpty { return nil }
        return try writeTree(Array(entries.values))
    }

    /// Writes the union of two trees: where both have a subtree of one name the union recurses,
    /// elsewhere `top`'s entry wins.
    public func overlay(_ top: TreeID, on base: TreeID?) throws -> TreeID {
        guard let base, base != top else { return top }
        var entries: [String: TreeEntry] = [:]
        for entry in try tree(base) { entries[entry.name] = entry }
        for entry in try tree(top) {
            if entry.kind == .tree, let below = entries[entry.name], below.kind == .tree {
                entries[entry.name] = .tree(entry.name, try overlay(TreeID(entry.id), on: TreeID(below.id)))
            } else {
                entries[entry.name] = entry
            }
        }
        return try writeTree(Array(entries.values))
    }

    /// Every blob below a tree with its slash-separated path, depth first.
    public func walkBlobs(_ root: TreeID, prefix: String = "", _ visit: (String, BlobID) throws -> Void) throws {
        for entry in try tree(root) {
            let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
            switch entry.kind {
            case .blob: try visit(path, BlobID(entry.id))
            case .tree: try walkBlobs(TreeID(entry.id), prefix: path, visit)
            }
        }
    }

    /// A name git accepts for a tree entry: not empty, not `.`/`..`/`.git`, no `/`, NUL or control characters.
    public static func isValidEntryName(_ name: String) -> Bool {
        // Lower-cased only at .git's length (no other name lower-cases to it): this runs for every
        // entry a clone or fetch brings in.
        guard !name.isEmpty, name != ".", name != "..", name.utf8.count != 4 || name.lowercased() != ".git" else { return false }
        return !name.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7f }
    }

    private static func copy(_ entry: OpaquePointer) -> TreeEntry {
        let name = String(cString: git_tree_entry_name(entry))
        let id = ObjectID(git_tree_entry_id(entry).pointee)
        let kind: TreeEntry.Kind = git_tree_entry_type(entry) == GIT_OBJECT_TREE ? .tree : .blob
        return TreeEntry(name: name, kind: kind, id: id)
    }
}
