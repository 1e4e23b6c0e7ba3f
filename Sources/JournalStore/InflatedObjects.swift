/// Objects a clone's own indexer inflated and hashed while it indexed the pack, kept so the check of
/// what arrived reads them without inflating and hashing them a second time. Immutable once built, so
/// both cores of the check read it at once.
public final class InflatedObjects: @unchecked Sendable {
    /// Every object of the pack in id order, with its kind and, when kept, its content.
    private let ids: [ObjectID]
    private let kinds: [ObjectKind]
    private let bodies: [[UInt8]?]

    /// - Parameters: every object of the pack in id order, its kind, and its content (nil: not kept).
    init(ids: [ObjectID], kinds: [ObjectKind], bodies: [[UInt8]?]) {
        self.ids = ids
        self.kinds = kinds
        self.bodies = bodies
    }

    /// How many objects are kept.
    public var count: Int { bodies.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// The kind and content of `id`, already checked against its SHA-1; nil when it was not kept.
    func read(_ id: ObjectID) -> (ObjectKind, [UInt8])? {
        guard let position = position(of: id), let body = bodies[position] else { return nil }
        return (kinds[position], body)
    }

    /// The kind of `id` when the pack holds it, kept or not.
    func kind(of id: ObjectID) -> ObjectKind? { position(of: id).map { kinds[$0] } }

    /// Where `id` is in `ids`: ids are uniform (SHA-1), so the first guess is where its leading word
    /// falls, then a binary search narrows from there.
    private func position(of id: ObjectID) -> Int? {
        guard !ids.isEmpty else { return nil }
        let guess = Int((id.leadingWord >> 32) * UInt64(ids.count) >> 32)
        var low = 0, high = ids.count
        // Most ids land within 64 places of their guess; widen only when they do not.
        if ids[max(0, guess - 64)] <= id, guess + 64 < ids.count, id <= ids[guess + 64] {
            low = max(0, guess - 64)
            high = guess + 65
        }
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// Whether every tree the pack holds is kept, parses, names each entry once with a name a
    /// checkout may write (`GitRepository.isValidEntryName`), and points only at objects of the
    /// pack of the kind its mode says (a submodule's commit excepted); and every commit's tree and
    /// parents are in the pack. When this holds, no tree reachable from the pack's commits can
    /// have a name problem, so a clone's check may skip walking them; when it does not, the walk
    /// finds and names the problem (or finds that it is in an unreachable tree, which harms nothing).
    public func treesAreSound() -> Bool {
        var names: [Range<Int>] = []
        for (position, id) in ids.enumerated() {
            switch kinds[position] {
            case .tree:
                guard let body = bodies[position] else { return false }
                names.removeAll(keepingCapacity: true)
                var ascii = true
                do {
                    try RawTreeEntry.forEach(body, id: id) { mode, name, entryID in
                        names.append(name)
                        if body[name].contains(where: { $0 >= 0x80 }) { ascii = false }
                        guard RawTreeEntry.isSubmodule(mode) || kind(of: entryID) == (RawTreeEntry.isTree(mode) ? .tree : .blob) else { throw StoreError.objectNotFound(entryID.hex) }
                    }
                } catch {
                    return false
                }
                guard ascii ? Self.asciiNamesAreSound(body, names) : Self.namesAreSound(names.map { String(decoding: body[$0], as: UTF8.self) }) else { return false }
            case .commit:
                guard let body = bodies[position], let (tree, parents) = GitRepository.parseCommitHeader(body),
                      kind(of: tree) == .tree, parents.allSatisfy({ kind(of: $0) == .commit }) else { return false }
            default:
                continue
            }
        }
        return true
    }

    /// `GitRepository.isValidEntryName` and uniqueness, judged on the names as strings, as the walk
    /// over names judges them (Swift compares strings by canonical equivalence).
    private static func namesAreSound(_ names: [String]) -> Bool {
        guard names.allSatisfy(GitRepository.isValidEntryName) else { return false }
        return Set(names).count == names.count
    }

    /// The same for names that are all ASCII, on their bytes: an ASCII string equals another string
    /// exactly when their bytes are equal, so no string need be made.
    private static func asciiNamesAreSound(_ body: [UInt8], _ names: [Range<Int>]) -> Bool {
        for name in names {
            let bytes = body[name]
            if bytes.count <= 2, bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) { return false }
            if bytes.contains(where: { $0 == UInt8(ascii: "/") || $0 < 0x20 || $0 == 0x7f }) { return false }
            if bytes.count == 4, bytes.map({ $0 | 0x20 }).elementsEqual(".git".utf8.map { $0 | 0x20 }) { return false }
        }
        if names.count <= 32 {
            for (position, name) in names.enumerated() where names[..<position].contains(where: { body[$0].elementsEqual(body[name]) }) { return false }
            return true
        }
        return Set(names.map { body[$0] }).count == names.count
    }
}
