import CGit2
import Foundation

// MARK: - Commits

extension GitRepository {
    /// Writes a commit object (`git_commit_create`) without moving any ref; see `updateReference`.
    public func writeCommit(tree: TreeID, parents: [CommitID], message: String, author: Signature) throws -> CommitID {
        let treeObject = try lookup(tree.object, kind: .tree)
        let parentObjects = try parents.map { try lookup($0.object, kind: .commit) }
        var signature: UnsafeMutablePointer<git_signature>?
        try Libgit2.check(git_signature_new(&signature, author.name, author.email, git_time_t(author.time), author.offsetMinutes), "git_signature_new")
        defer { git_signature_free(signature) }
        var oid = git_oid()
        var parentPointers: [OpaquePointer?] = parentObjects.map { $0.pointer }
        let status = parentPointers.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(&oid, pointer, nil, signature, signature, "UTF-8", message, treeObject.pointer, parents.count, buffer.baseAddress)
        }
        try Libgit2.check(status, "git_commit_create")
        return CommitID(ObjectID(oid))
    }

    /// A commit read from the store (`git_commit_lookup`).
    public func commit(_ id: CommitID) throws -> Commit {
        let object = try lookup(id.object, kind: .commit)
        let commit = object.pointer
        let count = git_commit_parentcount(commit)
        let parents = (0..<count).map { CommitID(ObjectID(git_commit_parent_id(commit, $0).pointee)) }
        let author = git_commit_author(commit).pointee
        let signature = Signature(name: String(cString: author.name), email: String(cString: author.email),
                                  time: Int64(author.when.time), offsetMinutes: author.when.offset)
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return Commit(id: id, tree: TreeID(ObjectID(git_commit_tree_id(commit).pointee)), parents: parents, author: signature, message: message)
    }

    /// Resolves a revision as git does (`HEAD`, `main~2`, an id or prefix) to a commit (`git_revparse_single`).
    /// Reflog forms (`@{-1}`, `main@{yesterday}`, `HEAD@{1}`) are refused before libgit2 sees them: reading
    /// a reflog creates `logs/` folders, and a read-only command must write nothing.
    public func resolveCommit(_ revision: String) throws -> CommitID? {
        if revision.contains("@{") { throw StoreError.unsupportedRevision(revision) }
        // No ref name or revision is this long; libgit2 would quote all of it back.
        if revision.utf8.count > 1024 { return nil }
        // libgit2 reads a stray `@` as HEAD (`abc@` gave HEAD's commit): `@` is taken only inside the
        // name of a ref that exists.
        if revision.contains("@") && revision != "@" {
            let base = String(revision.prefix { !"~^:".contains($0) })
            let candidates = [base, "refs/heads/" + base, "refs/remotes/" + base, "refs/tags/" + base]
            guard try candidates.contains(where: { try Self.isValidReferenceName($0) && referenceTarget($0) != nil }) else { return nil }
        }
        var object: OpaquePointer?
        let status = git_revparse_single(&object, pointer, revision)
        if status == GIT_ENOTFOUND.rawValue || status == GIT_EINVALIDSPEC.rawValue { return nil }
        if status == GIT_EAMBIGUOUS.rawValue { throw StoreError.ambiguousPrefix(revision) }
        try Libgit2.check(status, "git_revparse_single")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0 else { return nil }
        defer { git_object_free(peeled) }
        return CommitID(ObjectID(git_object_id(peeled).pointee))
    }

    /// The author git would use here: `user.name`/`user.email` from git's config
    /// (`git_signature_default`), else the login name at the host name. Time is now.
    public func defaultSignature() -> Signature {
        let now = Int64(Date().timeIntervalSince1970)
        let offset = Int32(TimeZone.current.secondsFromGMT() / 60)
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, pointer) == 0, let signature {
            defer { git_signature_free(signature) }
            return Signature(name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email), time: now, offsetMinutes: offset)
        }
        let user = ProcessInfo.processInfo.environment["USER"] ?? "xj"
        return Signature(name: user, email: "\(user)@\(ProcessInfo.processInfo.hostName)", time: now, offsetMinutes: offset)
    }
}
