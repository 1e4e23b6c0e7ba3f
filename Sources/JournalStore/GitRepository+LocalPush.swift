import CGit2
import Foundation

// MARK: - Compare-and-swap push to a repository on this machine

extension GitRepository {
    /// Pushes branches into the bare repository at `remotePath`: objects first, then each ref moved with
    /// a compare-and-swap against the value read at the start, so two pushes that race can never
    /// overwrite each other. (libgit2's own local transport moves the remote ref with `force`, which
    /// lost one of two concurrent pushes.)
    ///
    /// - Parameters:
    ///   - remotePath: the remote repository's folder.
    ///   - references: full ref names (`refs/heads/main`); each is pushed to the same name.
    ///   - trackingPrefix: where the remote's refs are mirrored locally (`refs/remotes/origin/`).
    /// - Throws: `StoreError.remoteAhead` naming the first ref the remote has commits for that this
    ///   repository does not (or that moved during the push); nothing of that ref changed on the remote.
    public func pushLocally(to remotePath: String, references: [String], trackingPrefix: String) throws {
        let remote = try GitRepository.open(at: remotePath)
        var updates: [(name: String, old: ObjectID?, new: ObjectID)] = []
        for name in references {
            guard let new = try referenceTarget(name) else { throw StoreError.objectNotFound(name) }
            let old = try remote.referenceTarget(name)
            if let old, old != new {
                guard try contains(old), try isAncestor(old, of: new) else { throw StoreError.remoteAhead(reference: name) }
            }
            updates.append((name, old, new))
        }
        try writePack(into: remote.path + "/objects/pack", tips: updates.filter { $0.old != $0.new }.map { ($0.new, $0.old) })
        for update in updates where update.old != update.new {
            do {
                try remote.updateReference(update.name, to: update.new, expecting: update.old, message: "xj push")
            } catch StoreError.referenceMoved {
                throw StoreError.remoteAhead(reference: update.name)
            }
        }
        for update in updates {
            let short = update.name.hasPrefix("refs/heads/") ? String(update.name.dropFirst("refs/heads/".count)) : update.name
            let tracking = trackingPrefix + short
            let current = try referenceTarget(tracking)
            if current != update.new { try? updateReference(tracking, to: update.new, expecting: current, message: "xj push") }
        }
    }

    /// Whether `ancestor` is reachable from `descendant` (or equal to it).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var first = descendant.oid, second = ancestor.oid
        let status = git_graph_descendant_of(pointer, &first, &second)
        try Libgit2.check(status, "git_graph_descendant_of")
        return status == 1
    }

    /// Writes one pack of every object reachable from each tip and not from its `hidden` commit into
    /// `folder`: the pack streams through libgit2's indexer, which checks every object and writes the
    /// index, and appears by rename, so a reader never sees half of it.
    func writePack(into folder: String, tips: [(ObjectID, ObjectID?)]) throws {
        guard !tips.isEmpty else { return }
        let store = PackedObjectStore(objectsDirectory: path + "/objects")
        let objects = try outgoingObjects(tips: tips.map(\.0), known: tips.compactMap(\.1), store: store)
        guard !objects.isEmpty else { return }
        var options = git_indexer_options()
        try Libgit2.check(git_indexer_options_init(&options, UInt32(GIT_INDEXER_OPTIONS_VERSION)), "git_indexer_options_init")
        var indexer: OpaquePointer?
        try Libgit2.check(git_indexer_new(&indexer, folder, 0, nil, &options), "git_indexer_new")
        defer { git_indexer_free(indexer) }
        var stats = git_indexer_progress()
        try OutgoingPackWriter(repository: self, store: store, offsetDeltas: true).write(objects) { bytes in
            try Libgit2.check(git_indexer_append(indexer, bytes.baseAddress, bytes.count, &stats), "git_indexer_append")
        }
        try Libgit2.check(git_indexer_commit(indexer, &stats), "git_indexer_commit")
    }
}
