/// One entry of a tree as its raw bytes hold it: an octal mode, a space, a non-empty name, a NUL, a
/// 20-byte id. Parsed by the rules libgit2's tree parser applies, for the readers that skip libgit2
/// (a push's enumeration, the check of what a fetch brought in).
struct RawTreeEntry {
    let mode: Int
    let name: [UInt8]
    let id: ObjectID

    /// A folder: the mode's type bits say directory, as `git_tree_entry_type` decides.
    var isTree: Bool { Self.isTree(mode) }
    /// A submodule link (a commit of another repository, never in this one).
    var isSubmodule: Bool { Self.isSubmodule(mode) }

    static func isTree(_ mode: Int) -> Bool { mode & 0o170000 == 0o040000 }
    static func isSubmodule(_ mode: Int) -> Bool { mode & 0o170000 == 0o160000 }

    /// The entries of the tree `id` whose content is `body`.
    /// - Throws: `StoreError.io` naming the tree for a mode, name or id that does not parse.
    static func parse(_ body: [UInt8], id: ObjectID) throws -> [RawTreeEntry] {
        var entries: [RawTreeEntry] = []
        try forEach(body, id: id) { mode, name, entryID in entries.append(RawTreeEntry(mode: mode, name: Array(body[name]), id: entryID)) }
        return entries
    }

    /// Calls `visit` with each entry's mode, the range of its name in `body`, and its id, in order,
    /// without copying names (the check of a clone parses 40,000 trees).
    /// - Throws: `StoreError.io` naming the tree for a mode, name or id that does not parse.
    static func forEach(_ body: [UInt8], id: ObjectID, _ visit: (_ mode: Int, _ name: Range<Int>, _ id: ObjectID) throws -> Void) throws {
        var cursor = 0
        while cursor < body.count {
            var mode = 0, digits = 0
            while cursor < body.count, (0x30...0x37).contains(body[cursor]), digits < 7 {
                mode = mode * 8 + Int(body[cursor] - 0x30); cursor += 1; digits += 1
            }
            guard digits > 0, cursor < body.count, body[cursor] == 0x20 else {
                throw StoreError.io(path: "tree \(id.hex)", reason: "failed to parse tree: can't parse filemode")
            }
            cursor += 1
            guard let nul = body[cursor...].firstIndex(of: 0), nul > cursor, nul - cursor <= 0xffff, nul + 21 <= body.count else {
                throw StoreError.io(path: "tree \(id.hex)", reason: "failed to parse tree: can't parse filename or id")
            }
            try visit(mode, cursor..<nul, body.withUnsafeBytes { ObjectID(raw: UnsafeRawBufferPointer(rebasing: $0[nul + 1..<nul + 21])) })
            cursor = nul + 21
        }
    }
}
