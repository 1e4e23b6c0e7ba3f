/// Objects a clone's own indexer inflated and hashed while it indexed the pack, kept so the check of
/// what arrived reads them without inflating and hashing them a second time. Immutable once built, so
/// both cores of the check read it at once.
public final class InflatedObjects: @unchecked Sendable {
    private let objects: [ObjectID: (ObjectKind, [UInt8])]
    /// Every object of the pack with its kind, in id order (kept or not).
    private let all: [(ObjectID, ObjectKind)]

    init(_ objects: [ObjectID: (ObjectKind, [UInt8])], all: [(ObjectID, ObjectKind)]) {
        self.objects = objects
        self.all = all
    }

    /// How many objects are kept.
    public var count: Int { objects.count }

    /// The kind and content of `id`, already checked against its SHA-1; nil when it was not kept.
    func read(_ id: ObjectID) -> (ObjectKind, [UInt8])? { objects[id] }

    /// Whether every tree the pack holds is kept, parses, names each entry once with a name a
    /// checkout may write (`GitRepository.isValidEntryName`), and points only at objects of the
    /// pack of the kind its mode says (a submodule's commit excepted); and every commit's tree and
    /// parents are in the pack. When this holds, no tree reachable from the pack's commits can
    /// have a name problem, so a clone's check may skip walking them; when it does not, the walk
    /// finds and names the problem (or finds that it is in an unreachable tree, which harms nothing).
    public func treesAreSound() -> Bool {
        func kind(of id: ObjectID) -> ObjectKind? {
            var low = 0, high = all.count
            while low < high {
                let middle = (low + high) / 2
                if all[middle].0 < id { low = middle + 1 } else { high = middle }
            }
            return low < all.count && all[low].0 == id ? all[low].1 : nil
        }
        for (id, objectKind) in all {
            switch objectKind {
            case .tree:
                guard let (_, body) = objects[id], let entries = try? RawTreeEntry.parse(body, id: id) else { return false }
                // Names compared as the walk compares them: decoded, as Swift strings.
                let names = entries.map { String(decoding: $0.name, as: UTF8.self) }
                for (position, entry) in entries.enumerated() {
                    guard GitRepository.isValidEntryName(names[position]) else { return false }
                    // A journal's trees hold a handful of entries; a long one goes through a set.
                    if names.count <= 32, names[..<position].contains(names[position]) { return false }
                    if entry.isSubmodule { continue }
                    guard kind(of: entry.id) == (entry.isTree ? .tree : .blob) else { return false }
                }
                if names.count > 32, Set(names).count != names.count { return false }
            case .commit:
                guard let (_, body) = objects[id], let (tree, parents) = GitRepository.parseCommitHeader(body),
                      kind(of: tree) == .tree, parents.allSatisfy({ kind(of: $0) == .commit }) else { return false }
            default:
                continue
            }
        }
        return true
    }
}
