import CCrypto
import CGit2
import Foundation

// MARK: - What a push sends

extension GitRepository {
    /// Every object reachable from `tips` that a repository holding the commits `known` (and everything
    /// they reach) lacks: the commits not reachable from `known`, and of each commit's tree only what
    /// differs from its parents' trees. An object at a path where a parent has the same id is already on
    /// the other side (the parent is known there, or is sent with all it needs), so unchanged folders are
    /// never opened; a push of one new experiment reads a handful of trees whatever the journal's size.
    /// - Parameter known: commits the other side has; those this repository lacks are ignored.
    /// - Returns: commits first, then trees and blobs, each once.
    func outgoingObjects(tips: [ObjectID], known: [ObjectID], store: PackedObjectStore) throws -> [ObjectID] {
        let hidden = try known.filter { try contains($0) }.map(CommitID.init)
        let commits = try history(from: tips.map(CommitID.init), hiding: hidden)
        var sent = Set<ObjectID>()
        var order: [ObjectID] = []
        var treeOfCommit: [ObjectID: ObjectID] = [:]
        func commitTree(_ commit: ObjectID) throws -> (tree: ObjectID, parents: [ObjectID]) {
            let (kind, body) = try rawObject(commit, store: store)
            guard kind == .commit, let parsed = Self.parseCommitHeader(body) else {
                throw StoreError.wrongObjectType(id: commit.hex, expected: "commit", actual: kind.rawValue)
            }
            treeOfCommit[commit] = parsed.tree
            return parsed
        }
        for commit in commits.reversed() {
            let (tree, parents) = try commitTree(commit.object)
            sent.insert(commit.object)
            order.append(commit.object)
            var parentTrees: [ObjectID] = []
            for parent in parents {
                if let known = treeOfCommit[parent] { parentTrees.append(known) } else if try contains(parent) {
                    parentTrees.append(try commitTree(parent).tree)
                }
            }
            try collectTree(tree, against: parentTrees, sent: &sent, order: &order, store: store)
        }
        return order
    }

    /// Adds `tree` and what it reaches to `sent`, skipping any entry whose id one of `others` (trees
    /// the other side has, or is sent) holds at the same level.
    private func collectTree(_ tree: ObjectID, against others: [ObjectID], sent: inout Set<ObjectID>, order: inout [ObjectID],
                             store: PackedObjectStore) throws {
        guard !others.contains(tree), sent.insert(tree).inserted else { return }
        order.append(tree)
        let entries = try treeEntries(tree, store: store)
        var otherEntries: [[UInt8]: (ObjectID, Bool)] = [:]
        for other in others {
            for entry in try treeEntries(other, store: store) where otherEntries[entry.name] == nil {
                otherEntries[entry.name] = (entry.id, entry.isTree)
            }
        }
        for entry in entries where !entry.isSubmodule {
            let matching = otherEntries[entry.name]
            if let matching, matching.0 == entry.id { continue }
            if entry.isTree {
                let subtrees = matching.flatMap { $0.1 ? [$0.0] : nil } ?? []
                try collectTree(entry.id, against: subtrees, sent: &sent, order: &order, store: store)
            } else if sent.insert(entry.id).inserted {
                order.append(entry.id)
            }
        }
    }

    /// The entries of a tree, parsed from its raw bytes.
    func treeEntries(_ tree: ObjectID, store: PackedObjectStore) throws -> [RawTreeEntry] {
        let (kind, body) = try rawObject(tree, store: store)
        guard kind == .tree else { throw StoreError.wrongObjectType(id: tree.hex, expected: "tree", actual: kind.rawValue) }
        return try RawTreeEntry.parse(body, id: tree)
    }

    /// An object's kind and content: from the packs when it is there and hashes to its id, else from
    /// libgit2 (loose objects, alternates; it reports a missing or damaged object).
    func rawObject(_ id: ObjectID, store: PackedObjectStore) throws -> (ObjectKind, [UInt8]) {
        if let found = store.checkedRead(id) { return found }
        return try readThroughLibgit2(id) { kind, object in
            let size = git_odb_object_size(object)
            return (kind, size == 0 ? [] : Array(UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size)))
        }
    }

    /// The id git gives `body` as an object of `kind`; nil only if OpenSSL fails.
    static func hashObject(_ kind: ObjectKind, _ body: [UInt8]) -> ObjectID? {
        // "<kind> <size>\0" written into a fixed buffer: formatting a String per object cost as much as
        // hashing a small one.
        var header: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var digest: (UInt64, UInt64, UInt32) = (0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &header) { header -> Int32 in
            var length = 0
            for byte in kind.rawValue.utf8 { header[length] = byte; length += 1 }
            header[length] = 0x20; length += 1
            var digits = 1, size = body.count
            while size >= 10 { size /= 10; digits += 1 }
            size = body.count
            for position in stride(from: length + digits - 1, through: length, by: -1) { header[position] = UInt8(0x30 + size % 10); size /= 10 }
            length += digits
            header[length] = 0; length += 1
            return body.withUnsafeBytes { body in
                withUnsafeMutableBytes(of: &digest) {
                    xj_sha1_object(header.baseAddress, length, body.baseAddress ?? UnsafeRawPointer(header.baseAddress!), body.count, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        return ok == 1 ? withUnsafeBytes(of: &digest) { ObjectID(raw: $0) } : nil
    }

    /// A commit's tree and parents, from the header lines of its raw bytes.
    static func parseCommitHeader(_ body: [UInt8]) -> (tree: ObjectID, parents: [ObjectID])? {
        var tree: ObjectID?
        var parents: [ObjectID] = []
        var cursor = 0
        while cursor < body.count {
            let end = body[cursor...].firstIndex(of: 0x0a) ?? body.count
            if end == cursor { break }  // the blank line before the message
            let line = body[cursor..<end]
            if line.starts(with: "tree ".utf8) {
                tree = ObjectID(hex: String(decoding: line.dropFirst(5), as: UTF8.self))
            } else if line.starts(with: "parent ".utf8) {
                guard let parent = ObjectID(hex: String(decoding: line.dropFirst(7), as: UTF8.self)) else { return nil }
                parents.append(parent)
            }
            cursor = end + 1
        }
        return tree.map { ($0, parents) }
    }
}
