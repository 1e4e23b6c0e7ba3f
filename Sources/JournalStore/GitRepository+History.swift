import CGit2

// MARK: - History

extension GitRepository {
    /// Commits reachable from `starts`, newest first by commit time, topologically consistent
    /// (`git_revwalk` with `GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME`).
    /// - Parameter limit: at most this many commits; nil for all.
    /// - Parameter hiding: commits whose ancestry is left out (`git_revwalk_hide`), e.g. what a fetch already had.
    public func history(from starts: [CommitID], hiding hidden: [CommitID] = [], limit: Int? = nil) throws -> [CommitID] {
        guard !starts.isEmpty else { return [] }
        var walker: OpaquePointer?
        try Libgit2.check(git_revwalk_new(&walker, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walker) }
        try Libgit2.check(git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        for start in starts {
            var oid = start.object.oid
            try Libgit2.check(git_revwalk_push(walker, &oid), "git_revwalk_push")
        }
        for commit in hidden {
            var oid = commit.object.oid
            try Libgit2.check(git_revwalk_hide(walker, &oid), "git_revwalk_hide")
        }
        var commits: [CommitID] = []
        var oid = git_oid()
        while limit.map({ commits.count < $0 }) ?? true {
            let status = git_revwalk_next(&oid, walker)
            if status == GIT_ITEROVER.rawValue { break }
            try Libgit2.check(status, "git_revwalk_next")
            commits.append(CommitID(ObjectID(oid)))
        }
        return commits
    }
}
