import CGit2
import Foundation

// MARK: - Remotes

extension GitRepository {
    /// The configured remotes (`git_remote_list`, `git_remote_url`).
    public func remotes() throws -> [Remote] {
        var names = git_strarray()
        try Libgit2.check(git_remote_list(&names, pointer), "git_remote_list")
        defer { git_strarray_dispose(&names) }
        return try (0..<names.count).compactMap { index -> Remote? in
            guard let name = names.strings[index] else { return nil }
            let remote = try lookupRemote(String(cString: name))
            return Remote(name: String(cString: name), url: String(cString: git_remote_url(remote.pointer)))
        }
    }

    /// Adds a remote with git's default fetch refspec (`git_remote_create`).
    public func addRemote(_ name: String, url: String) throws {
        var remote: OpaquePointer?
        let status = git_remote_create(&remote, pointer, name, url)
        if status == GIT_EEXISTS.rawValue { throw StoreError.libgit2(operation: "git_remote_create", code: status, message: "a remote named \(name) exists already") }
        if status == GIT_EINVALIDSPEC.rawValue { throw StoreError.invalidReferenceName(name) }
        try Libgit2.check(status, "git_remote_create")
        git_remote_free(remote)
    }

    /// Removes a remote and its remote-tracking refs (`git_remote_delete`).
    public func removeRemote(_ name: String) throws {
        try Libgit2.check(git_remote_delete(pointer, name), "git_remote_delete")
    }

    func lookupRemote(_ name: String) throws -> Managed {
        var remote: OpaquePointer?
        let status = git_remote_lookup(&remote, pointer, name)
        if status == GIT_ENOTFOUND.rawValue || status == GIT_EINVALIDSPEC.rawValue {
            throw StoreError.objectNotFound("remote \(name.debugDescription) (add it with `xj remote add \(name) URL`)")
        }
        try Libgit2.check(status, "git_remote_lookup")
        Libgit2.prepareTransport(url: String(cString: git_remote_url(remote)))
        return Managed(remote!, free: git_remote_free)
    }

    /// An in-memory remote with the URL of the configured remote `name` and none of its refspecs, so a
    /// transfer through it moves none of that remote's tracking refs (`git_remote_create_anonymous`).
    func anonymousRemote(like name: String) throws -> Managed {
        let configured = try lookupRemote(name)
        let url = withExtendedLifetime(configured) { String(cString: git_remote_url(configured.pointer)) }
        var anonymous: OpaquePointer?
        try Libgit2.check(git_remote_create_anonymous(&anonymous, pointer, url), "git_remote_create_anonymous")
        return Managed(anonymous!, free: git_remote_free)
    }

    /// `git_remote_push` of `refspecs` to the configured remote `name` with `session`'s callbacks.
    /// - Returns: libgit2's status, after turning a host-key problem into an error.
    func runPush(remote name: String, refspecs: [String], session: RemoteSession) throws -> Int32 {
        let remote = try lookupRemote(name)
        var options = git_push_options()
        try Libgit2.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
        // 0: one pack-building thread per core (libgit2 defaults to one).
        options.pb_parallelism = 0
        session.install(into: &options.callbacks)
        let status = withStringArray(refspecs) { specs in withExtendedLifetime(session) { git_remote_push(remote.pointer, &specs, &options) } }
        if let problem = session.hostKeyProblem { throw StoreError.libgit2(operation: "git_remote_push", code: status, message: problem) }
        return status
    }

    /// Pushes refspecs such as `refs/heads/main:refs/heads/main` (`git_remote_push`).
    /// - Returns: the refs the remote refused, with its reason (e.g. a non-fast-forward update).
    public func push(remote name: String, refspecs: [String], progress: ((TransferProgress) -> Void)? = nil) throws -> [(String, String)] {
        if let url = try remoteURL(name), url.hasPrefix("git://") {
            var updates: [ReferencePushUpdate] = []
            for refspec in refspecs {
                let force = refspec.hasPrefix("+")
                let parts = refspec.dropFirst(force ? 1 : 0).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[1].isEmpty else { throw StoreError.invalidReferenceName(refspec) }
                let target: ObjectID?
                if parts[0].isEmpty { target = nil } else {
                    guard let value = try referenceTarget(String(parts[0])) else { throw StoreError.objectNotFound(String(parts[0])) }
                    target = value
                }
                updates.append(ReferencePushUpdate(name: String(parts[1]), target: target, force: force, expected: nil))
            }
            let result = try pushOverGitProtocol(url: url, updates: updates, progress: progress)
            let refused = Set(result.rejected.map(\.0))
            for update in updates where !refused.contains(update.name) && update.name.hasPrefix("refs/heads/") {
                // As libgit2's push does: the remote-tracking ref follows what the remote now has.
                let tracking = "refs/remotes/\(name)/" + update.name.dropFirst("refs/heads/".count)
                let current = try referenceTarget(tracking)
                if let target = update.target, current != target {
                    try? updateReference(tracking, to: target, expecting: current, message: "xj push")
                } else if update.target == nil, let current {
                    try? deleteReference(tracking, expecting: current)
                }
            }
            return result.rejected
        }
        let session = RemoteSession(progress: progress)
        let status = try runPush(remote: name, refspecs: refspecs, session: session)
        if status == GIT_ENONFASTFORWARD.rawValue {
            throw StoreError.remoteAhead(reference: "")
        }
        try Libgit2.check(status, "git_remote_push")
        return session.rejected
    }

    /// The URL of the configured remote `name`; nil when there is no such remote.
    func remoteURL(_ name: String) throws -> String? {
        try remotes().first { $0.name == name }?.url
    }

    /// Fetches a remote's branches into `refs/remotes/<name>/*` (`git_remote_fetch`).
    public func fetch(remote name: String, progress: ((TransferProgress) -> Void)? = nil) throws {
        let remote = try lookupRemote(name)
        let session = RemoteSession(progress: progress)
        var options = git_fetch_options()
        try Libgit2.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        session.install(into: &options.callbacks)
        options.prune = GIT_FETCH_PRUNE
        let status = withExtendedLifetime(session) { git_remote_fetch(remote.pointer, nil, &options, "xj fetch") }
        if let problem = session.hostKeyProblem { throw StoreError.libgit2(operation: "git_remote_fetch", code: status, message: problem) }
        try Libgit2.check(status, "git_remote_fetch")
    }

    /// Fetches a remote's branches into `prefix` (`refs/xj/incoming/origin/` → `…/main`) instead of its
    /// remote-tracking refs, through an anonymous remote with the same URL, so that nothing a caller
    /// relies on moves before it has checked what arrived (`git_remote_create_anonymous`, `git_remote_fetch`).
    public func fetch(remote name: String, into prefix: String, progress: ((TransferProgress) -> Void)? = nil) throws {
        try fetch(remote: name, refspecs: ["+refs/heads/*:\(prefix)*"], progress: progress)
    }

    /// Fetches the given refspecs (`+refs/xj/sweeps/*:refs/xj/incoming/…/*`) from a configured remote's
    /// URL through an anonymous remote, so its configured refspecs and remote-tracking refs stay as they are.
    public func fetch(remote name: String, refspecs: [String], progress: ((TransferProgress) -> Void)? = nil) throws {
        let remote = try anonymousRemote(like: name)
        let session = RemoteSession(progress: progress)
        var options = git_fetch_options()
        try Libgit2.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        session.install(into: &options.callbacks)
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        let status = withStringArray(refspecs) { specs in
            withExtendedLifetime(session) { git_remote_fetch(remote.pointer, &specs, &options, "xj fetch") }
        }
        if let problem = session.hostKeyProblem { throw StoreError.libgit2(operation: "git_remote_fetch", code: status, message: problem) }
        try Libgit2.check(status, "git_remote_fetch")
    }

    /// Downloads the objects of a remote's refs whose names start with `prefix`, creating and moving no
    /// local ref (`git_remote_connect`, `git_remote_ls`, `git_remote_download`; no `update_tips`): for a
    /// caller that checks what arrived and then uses it without keeping a ref to it.
    /// - Returns: the matching refs as the remote advertised them.
    public func download(remote name: String, prefix: String, progress: ((TransferProgress) -> Void)? = nil) throws -> [Reference] {
        let remote = try anonymousRemote(like: name)
        let session = RemoteSession(progress: progress)
        var callbacks = git_remote_callbacks()
        try Libgit2.check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        session.install(into: &callbacks)
        let connected = withExtendedLifetime(session) { git_remote_connect(remote.pointer, GIT_DIRECTION_FETCH, &callbacks, nil, nil) }
        if let problem = session.hostKeyProblem { throw StoreError.libgit2(operation: "git_remote_connect", code: connected, message: problem) }
        try Libgit2.check(connected, "git_remote_connect")
        defer { git_remote_disconnect(remote.pointer) }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try Libgit2.check(git_remote_ls(&heads, &count, remote.pointer), "git_remote_ls")
        var found: [Reference] = []
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let cName = head.name else { continue }
            let refName = String(cString: cName)
            if refName.hasPrefix(prefix) { found.append(Reference(name: refName, target: ObjectID(head.oid))) }
        }
        guard !found.isEmpty else { return [] }
        var options = git_fetch_options()
        try Libgit2.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        session.install(into: &options.callbacks)
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        let status = withStringArray(["\(prefix)*:\(prefix)*"]) { specs in
            withExtendedLifetime(session) { git_remote_download(remote.pointer, &specs, &options) }
        }
        try Libgit2.check(status, "git_remote_download")
        return found.sorted { $0.name < $1.name }
    }

    /// Clones `url` into a new bare repository at `path` (`git_clone` with `bare = 1`); its branches
    /// arrive as `refs/remotes/origin/*`.
    /// A `git://` URL goes through xj's own client and indexer (`cloneOverGitProtocol`), unless the
    /// server lacks side-band-64k.
    public static func clone(_ url: String, to path: String, progress: ((TransferProgress) -> Void)? = nil) throws -> GitRepository {
        _ = Libgit2.initialized
        if url.hasPrefix("git://"), let repository = try cloneOverGitProtocol(url, to: path, progress: progress) { return repository }
        Libgit2.prepareTransport(url: url)
        let session = RemoteSession(progress: progress)
        var options = git_clone_options()
        try Libgit2.check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), "git_clone_options_init")
        options.bare = 1
        session.install(into: &options.fetch_opts.callbacks)
        var repository: OpaquePointer?
        let status = withExtendedLifetime(session) { git_clone(&repository, url, path, &options) }
        if let problem = session.hostKeyProblem { throw StoreError.libgit2(operation: "git_clone", code: status, message: problem) }
        try Libgit2.check(status, "git_clone")
        git_repository_free(repository)
        return try open(at: path)
    }

    /// The best common ancestor of two commits, or nil (`git_merge_base`).
    public func mergeBase(_ a: CommitID, _ b: CommitID) throws -> CommitID? {
        var oid = git_oid()
        var first = a.object.oid, second = b.object.oid
        let status = git_merge_base(&oid, pointer, &first, &second)
        if status == GIT_ENOTFOUND.rawValue { return nil }
        try Libgit2.check(status, "git_merge_base")
        return CommitID(ObjectID(oid))
    }

    func withStringArray<T>(_ strings: [String], _ body: (inout git_strarray) -> T) -> T {
        let pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        var array: [UnsafeMutablePointer<CChar>?] = pointers
        return array.withUnsafeMutableBufferPointer { buffer in
            var strarray = git_strarray(strings: buffer.baseAddress, count: strings.count)
            return body(&strarray)
        }
    }
}
