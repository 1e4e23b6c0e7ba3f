import CGit2

// MARK: - Ids without writing

extension GitRepository {
    /// The id a tree of `entries` would have, computed without writing anything (`git_odb_hash`).
    /// Entries are ordered as git orders them: by name bytes, a subtree's name compared as if it ended in `/`.
    public func hashTree(_ entries: [TreeEntry]) throws -> TreeID {
        for entry in entries where !Self.isValidEntryName(entry.name) { throw StoreError.invalidPath(entry.name) }
        let sorted = entries.sorted { Self.sortKey($0).lexicographicallyPrecedes(Self.sortKey($1)) }
        var bytes: [UInt8] = []
        for entry in sorted {
            bytes += Array((entry.kind == .blob ? "100644 " : "40000 ").utf8)
            bytes += Array(entry.name.utf8)
            bytes.append(0)
            bytes += entry.id.bytes
        }
        var oid = git_oid()
        let status = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_TREE) }
        try Libgit2.check(status, "git_odb_hash")
        return TreeID(ObjectID(oid))
    }

    private static func sortKey(_ entry: TreeEntry) -> [UInt8] {
        Array(entry.name.utf8) + (entry.kind == .tree ? [UInt8(ascii: "/")] : [])
    }
}
