import CGit2
import Foundation

// MARK: - Refs

extension GitRepository {
    /// The object a direct ref points at, or nil when the ref does not exist (`git_reference_name_to_id`).
    public func referenceTarget(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let status = git_reference_name_to_id(&oid, pointer, name)
        if status == GIT_ENOTFOUND.rawValue { return nil }
        try Libgit2.check(status, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// Moves (or creates) a ref atomically, but only if it still points where the caller last saw it.
    ///
    /// - Parameters:
    ///   - name: the full ref name.
    ///   - target: the new value.
    ///   - expected: the value the caller read; nil means the ref must not exist yet.
    ///   - message: the reflog message.
    /// - Throws: `StoreError.referenceMoved` when another writer got there first
    ///   (`git_reference_create_matching`, `git_reference_create` with `force = 0`).
    public func updateReference(_ name: String, to target: ObjectID, expecting expected: ObjectID?, message: String) throws {
        try validateReferenceName(name)
        var oid = target.oid
        var reference: OpaquePointer?
        let status: Int32
        if var current = expected?.oid {
            status = git_reference_create_matching(&reference, pointer, name, &oid, 1, &current, message)
        } else {
            status = git_reference_create(&reference, pointer, name, &oid, 0, message)
        }
        git_reference_free(reference)
        if status == GIT_EMODIFIED.rawValue || status == GIT_EEXISTS.rawValue { throw StoreError.referenceMoved(name: name) }
        if status == GIT_ELOCKED.rawValue { throw StoreError.referenceLocked(name: name, repository: path) }
        try Libgit2.check(status, "git_reference_create_matching")
    }

    /// Deletes a ref if it still points at `expected` (`git_reference_delete` compares the old value).
    public func deleteReference(_ name: String, expecting expected: ObjectID) throws {
        var reference: OpaquePointer?
        let lookup = git_reference_lookup(&reference, pointer, name)
        if lookup == GIT_ENOTFOUND.rawValue { throw StoreError.referenceMoved(name: name) }
        try Libgit2.check(lookup, "git_reference_lookup")
        defer { git_reference_free(reference) }
        guard let target = git_reference_target(reference), ObjectID(target.pointee) == expected else {
            throw StoreError.referenceMoved(name: name)
        }
        let status = git_reference_delete(reference)
        if status == GIT_EMODIFIED.rawValue { throw StoreError.referenceMoved(name: name) }
        try Libgit2.check(status, "git_reference_delete")
    }

    /// Every direct ref whose name matches a glob such as `refs/heads/*` (`git_reference_iterator_glob_new`), sorted by name.
    public func references(matching glob: String) throws -> [Reference] {
        var iterator: OpaquePointer?
        try Libgit2.check(git_reference_iterator_glob_new(&iterator, pointer, glob), "git_reference_iterator_glob_new")
        defer { git_reference_iterator_free(iterator) }
        var found: [Reference] = []
        while true {
            var reference: OpaquePointer?
            let status = git_reference_next(&reference, iterator)
            if status == GIT_ITEROVER.rawValue { break }
            try Libgit2.check(status, "git_reference_next")
            defer { git_reference_free(reference) }
            guard let target = git_reference_target(reference) else { continue }
            found.append(Reference(name: String(cString: git_reference_name(reference)), target: ObjectID(target.pointee)))
        }
        return found.sorted { $0.name < $1.name }
    }

    /// The ref HEAD names (e.g. `refs/heads/main`), even when that branch has no commit yet.
    public func headReferenceName() throws -> String {
        var reference: OpaquePointer?
        try Libgit2.check(git_reference_lookup(&reference, pointer, "HEAD"), "git_reference_lookup")
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else {
            throw StoreError.libgit2(operation: "git_reference_symbolic_target", code: -1, message: "HEAD is detached; xj keeps HEAD on a branch")
        }
        return String(cString: target)
    }

    /// Points HEAD at a branch ref (`git_reference_symbolic_create`).
    public func setHead(to referenceName: String) throws {
        try validateReferenceName(referenceName)
        var reference: OpaquePointer?
        try Libgit2.check(git_reference_symbolic_create(&reference, pointer, "HEAD", referenceName, 1, "xj switch"), "git_reference_symbolic_create")
        git_reference_free(reference)
    }

    /// Throws unless git accepts `name` as a full ref name (`git_reference_name_is_valid`).
    public func validateReferenceName(_ name: String) throws {
        guard Self.isValidReferenceName(name) else { throw StoreError.invalidReferenceName(name) }
    }

    /// Whether git accepts `name` as a full ref name (`git_reference_name_is_valid`).
    public static func isValidReferenceName(_ name: String) -> Bool {
        _ = Libgit2.initialized
        var valid: Int32 = 0
        guard git_reference_name_is_valid(&valid, name) == 0 else { return false }
        return valid == 1 && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
    }

    /// Removes a `<ref>.lock` file left by a killed writer. Call only while holding the `JournalLock`,
    /// which every xj writer takes before touching refs, so a lock file found then is stale.
    public func removeStaleReferenceLock(_ name: String) {
        let lockPath = path + "/" + name + ".lock"
        if FileManager.default.fileExists(atPath: lockPath) { unlink(lockPath) }
    }
}
