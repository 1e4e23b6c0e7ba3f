/// Reads trees and blobs straight from the repository's packs, each checked against its SHA-1, with
/// up to 65,536 parsed trees kept. Turned on for a pass that reads tens of thousands of
/// objects once each (the check of what a clone or fetch brought in), where libgit2's object lookup,
/// cache and collision-detecting hash were half the time. Anything not in the packs present when it
/// first reads one (a loose object, a pack written later) is left to libgit2.
final class DirectPackReads {
    /// Mapped on first use: a clone's check finds nearly everything among the kept objects.
    private(set) lazy var store = PackedObjectStore(objectsDirectory: objectsDirectory)
    private let objectsDirectory: String
    private let inflated: InflatedObjects?
    private var trees: [ObjectID: [TreeEntry]] = [:]
    private var recent = [(ObjectID, [TreeEntry])?](repeating: nil, count: 4)
    private var nextRecent = 0

    init(objectsDirectory: String, inflated: InflatedObjects? = nil) {
        self.objectsDirectory = objectsDirectory
        self.inflated = inflated
    }

    /// The kind and content of `id`, checked against its SHA-1: kept from the indexer, or read from the
    /// packs; nil when it is in neither.
    func checkedRead(_ id: ObjectID) -> (ObjectKind, [UInt8])? {
        inflated?.read(id) ?? store.checkedRead(id)
    }

    /// The kind of `id` when it is kept or packed here.
    func kind(of id: ObjectID) -> ObjectKind? {
        inflated?.kind(of: id) ?? store.kind(of: id)
    }

    /// A packed tree's entries, parsed as libgit2 parses them; nil when it is not packed here.
    /// - Throws: `StoreError.wrongObjectType` for another kind, `StoreError.io` for a malformed tree.
    func tree(_ id: ObjectID) throws -> [TreeEntry]? {
        // The last few trees first: reading one experiment asks for its tree and subtrees a dozen times.
        for case let (slotID, entries)? in recent where slotID == id { return entries }
        if let cached = trees[id] { remember(id, cached); return cached }
        guard let (kind, body) = checkedRead(id) else { return nil }
        guard kind == .tree else { throw StoreError.wrongObjectType(id: id.hex, expected: "tree", actual: kind.rawValue) }
        let entries = try Self.parseTree(body, id: id)
        if trees.count >= 65_536 { trees.removeAll(keepingCapacity: true) }
        trees[id] = entries
        remember(id, entries)
        return entries
    }

    private func remember(_ id: ObjectID, _ entries: [TreeEntry]) {
        recent[nextRecent] = (id, entries)
        nextRecent = (nextRecent + 1) % recent.count
    }

    /// A tree's raw bytes as entries (`RawTreeEntry`'s rules); a mode with the directory bits is a
    /// folder, anything else a file, as libgit2 reports them.
    static func parseTree(_ body: [UInt8], id: ObjectID) throws -> [TreeEntry] {
        var entries: [TreeEntry] = []
        try RawTreeEntry.forEach(body, id: id) { mode, name, entryID in
            entries.append(TreeEntry(name: String(decoding: body[name], as: UTF8.self), kind: RawTreeEntry.isTree(mode) ? .tree : .blob, id: entryID))
        }
        return entries
    }
}
