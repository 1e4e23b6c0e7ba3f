import Foundation

/// Every pack in a repository's `objects/pack`, for reading objects and copying their entries without
/// going through libgit2's object cache (a push reads tens of thousands of trees once each).
/// Confined to one thread at a time, like the repository that owns it.
final class PackedObjectStore {
    let packs: [PackFile]
    private let inflater = ZlibInflater()

    init(objectsDirectory: String) {
        let folder = objectsDirectory + "/pack"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".idx") }.sorted()
        packs = names.compactMap { PackFile(indexPath: folder + "/" + $0) }
    }

    /// The pack and entry offset of `id`, from the first pack that holds it.
    func locate(_ id: ObjectID) -> (PackFile, Int)? {
        position(of: id).map { (packs[$0.pack], $0.offset) }
    }

    /// The index in `packs` and entry offset of `id`, from the first pack that holds it.
    func position(of id: ObjectID) -> (pack: Int, offset: Int)? {
        for (index, pack) in packs.enumerated() { if let offset = pack.offset(of: id) { return (index, offset) } }
        return nil
    }

    /// The kind and content of `id` when it is packed and hashes to its id; nil otherwise (the
    /// caller then asks libgit2, which reports a missing or damaged object).
    func checkedRead(_ id: ObjectID) -> (ObjectKind, [UInt8])? {
        guard let (kind, body) = read(id), GitRepository.hashObject(kind, body) == id else { return nil }
        return (kind, body)
    }

    /// The kind and content of `id` when it is packed; nil when it is not, or its entry is damaged
    /// (the caller then asks libgit2, which reports the damage).
    func read(_ id: ObjectID) -> (ObjectKind, [UInt8])? {
        guard let (pack, offset) = locate(id), let (type, bytes) = read(pack, at: offset, depth: 0) else { return nil }
        guard let kind = Self.kind(type) else { return nil }
        return (kind, bytes)
    }

    /// The kind of a packed object, from its entry's header (and its delta bases' headers); nil when
    /// it is not packed here or a header is malformed.
    func kind(of id: ObjectID) -> ObjectKind? {
        guard var (pack, offset) = locate(id) else { return nil }
        for _ in 0..<64 {
            guard let header = pack.header(at: offset) else { return nil }
            if let kind = Self.kind(header.type) { return kind }
            if let baseOffset = header.baseOffset {
                offset = baseOffset
            } else if let baseID = header.baseID, let base = locate(baseID) {
                (pack, offset) = base
            } else {
                return nil
            }
        }
        return nil
    }

    /// The whole object at `offset`, with deltas applied (at most 64 deep, git's own limit is 50).
    func read(_ pack: PackFile, at offset: Int, depth: Int) -> (Int, [UInt8])? {
        guard depth < 64, let header = pack.header(at: offset), let data = pack.inflate(header, with: inflater) else { return nil }
        switch header.type {
        case 1, 2, 3, 4:
            return (header.type, data)
        case 6:
            guard let baseOffset = header.baseOffset, let (type, base) = read(pack, at: baseOffset, depth: depth + 1),
                  let result = GitDelta.apply(data, to: base) else { return nil }
            return (type, result)
        default:
            guard let baseID = header.baseID, let (basePack, baseOffset) = locate(baseID),
                  let (type, base) = read(basePack, at: baseOffset, depth: depth + 1),
                  let result = GitDelta.apply(data, to: base) else { return nil }
            return (type, result)
        }
    }

    /// A pack type number as an object kind (1 commit, 2 tree, 3 blob, 4 tag).
    static func kind(_ type: Int) -> ObjectKind? {
        switch type {
        case 1: return .commit
        case 2: return .tree
        case 3: return .blob
        case 4: return .tag
        default: return nil
        }
    }

    /// An object kind's pack type number.
    static func type(_ kind: ObjectKind) -> Int {
        switch kind {
        case .commit: return 1
        case .tree: return 2
        case .blob: return 3
        case .tag: return 4
        }
    }
}
