import CGit2
import Foundation

// MARK: - Compare-and-swap of arbitrary refs on a remote

extension GitRepository {
    /// Applies `updates` to the bare repository at `remotePath`: one pack of the objects the new targets
    /// need, then each ref moved or deleted by compare-and-swap against its expected value.
    /// - Returns: the names of the refs that had moved on the remote (left as they were).
    public func updateReferences(inRepositoryAt remotePath: String, _ updates: [RemoteReferenceUpdate]) throws -> [String] {
        let remote = try GitRepository.open(at: remotePath)
        try writePack(into: remote.path + "/objects/pack", tips: updates.compactMap { update in update.target.map { ($0, update.expected) } })
        var moved: [String] = []
        for update in updates {
            do {
                if let target = update.target {
                    try remote.updateReference(update.name, to: target, expecting: update.expected, message: "xj push")
                } else if let expected = update.expected {
                    try remote.deleteReference(update.name, expecting: expected)
                }
            } catch StoreError.referenceMoved {
                moved.append(update.name)
            } catch StoreError.referenceLocked {
                moved.append(update.name)
            }
        }
        return moved
    }

    /// Applies `updates` on a network remote with one push. Each new target is pushed from a temporary
    /// local ref; the lease is checked in libgit2's push negotiation against the values the server
    /// advertised (which its receive-pack compares again under the ref lock), so a ref that moved since
    /// the caller read it aborts the whole push and nothing changes.
    /// - Returns: the names of the refs that had moved (all updates are then left undone) or that the
    ///   server refused.
    public func updateReferences(remote name: String, _ updates: [RemoteReferenceUpdate], progress: ((TransferProgress) -> Void)? = nil) throws -> [String] {
        guard !updates.isEmpty else { return [] }
        if let url = try remoteURL(name), url.hasPrefix("git://") {
            let result = try pushOverGitProtocol(url: url, updates: updates.map {
                ReferencePushUpdate(name: $0.name, target: $0.target, force: true, expected: .some($0.expected))
            }, progress: progress)
            return result.leaseBroken.isEmpty ? result.rejected.map(\.0) : result.leaseBroken
        }
        let staging = "refs/xj/outgoing/\(getpid())-"
        var refspecs: [String] = []
        var temporary: [(String, ObjectID)] = []
        defer { for (reference, target) in temporary { try? deleteReference(reference, expecting: target) } }
        for (index, update) in updates.enumerated() {
            if let target = update.target {
                let local = staging + String(index)
                if let stale = try referenceTarget(local) { try deleteReference(local, expecting: stale) }
                try updateReference(local, to: target, expecting: nil, message: "xj push")
                temporary.append((local, target))
                refspecs.append("+\(local):\(update.name)")
            } else {
                refspecs.append(":\(update.name)")
            }
        }
        let session = RemoteSession(progress: progress)
        session.lease = Dictionary(updates.map { ($0.name, $0.expected) }, uniquingKeysWith: { first, _ in first })
        let status = try runPush(remote: name, refspecs: refspecs, session: session)
        if !session.leaseBroken.isEmpty { return session.leaseBroken }
        try Libgit2.check(status, "git_remote_push")
        return session.rejected.map(\.0)
    }
}
