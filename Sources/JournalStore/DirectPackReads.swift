/// Reads trees and blobs straight from the repository's packs, each checked against its SHA-1, with
/// up to 65,536 parsed trees kept. Turned on for a pass that reads tens of thousands of
/// objects once each (the check of what a clone or fetch brought in), where libgit2's object lookup,
/// cache and collision-detecting hash were half the time. Anything not in the packs opened at the
/// start (a loose object, a pack written later) is left to libgit2.
final class DirectPackReads {
    let store: PackedObjectStore
    private var trees: [ObjectID: [TreeEntry]] = [:]

    init(objectsDirectory: String) {
        store = PackedObjectStore(objectsDirectory: objectsDirectory)
    }

    /// The object's kind and content when it is packed and hashes to its id.
    func object(_ id: ObjectID) -> (ObjectKind, [UInt8])? {
        guard let (kind, body) = store.read(id), GitRepository.hashObject(kind, body) == id else { return nil }
        return (kind, body)
    }

    /// A packed tree's entries, parsed as libgit2 parses them; nil when it is not packed here.
    /// - Throws: `StoreError.wrongObjectType` for another kind, `StoreError.io` for a malformed tree.
    func tree(_ id: ObjectID) throws -> [TreeEntry]? {
        if let cached = trees[id] { return cached }
        guard let (kind, body) = object(id) else { return nil }
        guard kind == .tree else { throw StoreError.wrongObjectType(id: id.hex, expected: "tree", actual: kind.rawValue) }
        let entries = try Self.parseTree(body, id: id)
        if trees.count >= 65_536 { trees.removeAll(keepingCapacity: true) }
        trees[id] = entries
        return entries
    }

    /// A tree's raw bytes as entries: an octal mode, a space, a non-empty name, a NUL, a 20-byte id.
    /// A mode with the directory bits is a folder (as `git_tree_entry_type` decides), anything else a file.
    static func parseTree(_ body: [UInt8], id: ObjectID) throws -> [TreeEntry] {
        var entries: [TreeEntry] = []
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
            let name = String(decoding: body[cursor..<nul], as: UTF8.self)
            let entryID = ObjectID(bytes: Array(body[nul + 1..<nul + 21]))
            entries.append(TreeEntry(name: name, kind: mode & 0o170000 == 0o040000 ? .tree : .blob, id: entryID))
            cursor = nul + 21
        }
        return entries
    }
}
