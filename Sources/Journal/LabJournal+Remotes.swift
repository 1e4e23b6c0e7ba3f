import Foundation
import JournalStore

// MARK: - Sharing through git remotes

extension LabJournal {
    /// Adds a remote; a local path is stored as an absolute path.
    public func addRemote(_ name: String, url: String) throws {
        guard !name.isEmpty, !name.contains("/"), GitRepository.isValidReferenceName("refs/remotes/\(name)/x") else {
            throw JournalError.invalidName(kind: "remote", name: name, reason: "is not a valid remote name")
        }
        try repository.addRemote(name, url: Self.normalizedURL(url))
    }

    /// `/srv/j.git`, `file:///srv/j.git`, `git://…`, `ssh://…`, `https://…`, `user@host:path`; a relative
    /// local path becomes absolute.
    static func normalizedURL(_ url: String) -> String {
        if url.contains("://") || (url.contains(":") && !url.hasPrefix("/") && !url.hasPrefix(".")) { return url }
        return URL(fileURLWithPath: url).standardizedFileURL.path
    }

    /// The local folder a remote URL names, if it is one.
    static func localPath(_ url: String) -> String? {
        if url.hasPrefix("file://") { return URL(string: url)?.path }
        return url.hasPrefix("/") ? url : nil
    }

    /// Pushes the current branch (or every branch) to a remote. A local path that does not exist yet
    /// becomes a new bare repository first. Every remote ref moves by compare-and-swap against the value
    /// the push started from: a push either lands on top of what the remote has or changes nothing.
    /// - Returns: the refs pushed.
    /// - Throws: `JournalError.remoteAhead` when the remote has commits this journal does not have.
    public func push(remote: String, all: Bool, progress: ((TransferProgress) -> Void)? = nil) throws -> [String] {
        guard let url = try repository.remotes().first(where: { $0.name == remote })?.url else {
            throw JournalError.unknown(kind: "remote", name: remote)
        }
        let branches = all ? try repository.references(matching: JournalLayout.branchPrefix + "*").map(\.name)
                           : [JournalLayout.branchReference(try currentBranch())]
        for branch in branches where try repository.referenceTarget(branch) == nil {
            throw JournalError.unknown(kind: "commit on", name: String(branch.dropFirst(JournalLayout.branchPrefix.count)) + " (nothing to push)")
        }
        func shortName(_ reference: String) -> String { String(reference.dropFirst(JournalLayout.branchPrefix.count)) }
        if let path = Self.localPath(url) {
            if !FileManager.default.fileExists(atPath: path) {
                _ = try GitRepository.create(at: path, initialBranch: try currentBranch())
            }
            do {
                try repository.pushLocally(to: path, references: branches, trackingPrefix: "refs/remotes/\(remote)/")
            } catch let StoreError.remoteAhead(reference) {
                throw JournalError.remoteAhead(remote: remote, branch: shortName(reference))
            } catch let StoreError.referenceLocked(reference, repository) {
                throw JournalError.remoteBusy(remote: remote, branch: shortName(reference), lock: repository + "/" + reference + ".lock")
            }
            return branches
        }
        let rejected: [(String, String)]
        do {
            rejected = try repository.push(remote: remote, refspecs: branches.map { "\($0):\($0)" }, progress: progress)
        } catch let StoreError.remoteAhead(reference) {
            throw JournalError.remoteAhead(remote: remote, branch: shortName(reference.isEmpty ? branches[0] : reference))
        }
        if let (name, _) = rejected.first {
            // The server compares the old value we sent under its ref lock: a refusal means someone pushed first.
            throw JournalError.remoteAhead(remote: remote, branch: shortName(name))
        }
        return branches
    }

    /// `push`, and when the remote is ahead: pull (fetch and merge — experiments live at paths that
    /// cannot collide, so the union is automatic), wait a random moment, and push again; at most
    /// `attempts` times.
    /// - Parameter onRetry: told each time a retry starts (attempt number, 1-based).
    public func push(remote: String, all: Bool, attempts: Int, progress: ((TransferProgress) -> Void)? = nil,
                     onRetry: ((Int) -> Void)? = nil) throws -> [String] {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try push(remote: remote, all: all, progress: progress)
            } catch let JournalError.remoteAhead(_, branch) where attempt < attempts {
                onRetry?(attempt)
                // Jitter spreads racing clones apart, growing with each attempt (capped at about a second).
                usleep(UInt32.random(in: 0...UInt32(min(1_000_000, 20_000 << min(attempt, 6))), using: &generator))
                try pullBranch(branch, remote: remote, progress: progress)
                attempt += 1
            } catch JournalError.remoteBusy where attempt < attempts {
                // Another push holds the remote ref's lock for a moment: wait, then try again.
                usleep(UInt32.random(in: 10_000...UInt32(min(1_000_000, 20_000 << min(attempt, 6))), using: &generator))
                attempt += 1
            }
        }
    }

    /// Deletes every ref under `prefix` (where a fetch lands before what arrived is checked); a ref
    /// another process moved meanwhile is left for its own cleanup.
    func clearTransientReferences(_ prefix: String) {
        for reference in (try? repository.references(matching: prefix + "*")) ?? [] {
            try? repository.deleteReference(reference.name, expecting: reference.target)
        }
    }

    /// Fetches a remote's branches into `refs/remotes/<remote>/*`; the run index learns them on its next use.
    ///
    /// What arrives lands first under `refs/xj/incoming/<remote>/` and is checked (`incomingProblems`:
    /// tree entry names, and every new record against FORMAT.md, datasets rescanned against their
    /// manifests); only then do the remote-tracking refs move, each by compare-and-swap, and branches
    /// the remote no longer has are pruned. A hostile remote moves nothing and is named in one line.
    /// - Throws: `JournalError.hostileRemote` naming the first problem.
    public func fetch(remote: String, progress: ((TransferProgress) -> Void)? = nil) throws {
        guard !remote.isEmpty, !remote.contains("/"), GitRepository.isValidReferenceName("refs/remotes/\(remote)/x") else {
            throw JournalError.invalidName(kind: "remote", name: remote, reason: "is not a valid remote name")
        }
        let incomingPrefix = "refs/xj/incoming/\(remote)/"
        clearTransientReferences(incomingPrefix)
        defer { clearTransientReferences(incomingPrefix) }
        try repository.fetch(remote: remote, into: incomingPrefix, progress: progress)
        let incoming = try repository.references(matching: incomingPrefix + "*")
        let problems = try incomingProblems(tips: incoming.map { CommitID($0.target) })
        if let first = problems.first { throw JournalError.hostileRemote(remote: remote, problem: first, more: problems.count - 1) }
        let trackingPrefix = "refs/remotes/\(remote)/"
        let names = Set(incoming.map { String($0.name.dropFirst(incomingPrefix.count)) })
        try locked {
            for reference in incoming {
                let tracking = trackingPrefix + reference.name.dropFirst(incomingPrefix.count)
                let current = try repository.referenceTarget(tracking)
                guard current != reference.target else { continue }
                repository.removeStaleReferenceLock(tracking)
                try repository.updateReference(tracking, to: reference.target, expecting: current, message: "xj fetch")
            }
            for reference in try repository.references(matching: trackingPrefix + "*")
            where !names.contains(String(reference.name.dropFirst(trackingPrefix.count))) && !reference.name.hasSuffix("/HEAD") {
                try repository.deleteReference(reference.name, expecting: reference.target)
            }
        }
    }

    /// What `pull` did.
    public enum PullOutcome: Sendable {
        case upToDate
        case fastForward(CommitID)
        case merged(JournalRecord)
    }

    /// Fetches, then brings `refs/remotes/<remote>/<current branch>` into the current branch: a
    /// fast-forward when possible, else a merge commit whose tree is the three-way merge of the two
    /// (experiment records never collide, so lines that added different experiments merge cleanly).
    /// - Throws: `JournalError.mergeConflict` naming each path with both sides' ids; the branch is left as it was.
    public func pull(remote: String, progress: ((TransferProgress) -> Void)? = nil) throws -> PullOutcome {
        try pullBranch(try currentBranch(), remote: remote, progress: progress)
    }

    /// `pull` for a named line of inquiry (which need not be the current one).
    @discardableResult
    /// - Parameter fetching: fetch first (false: merge what the last fetch brought).
    public func pullBranch(_ branch: String, remote: String, fetching: Bool = true, progress: ((TransferProgress) -> Void)? = nil) throws -> PullOutcome {
        if fetching { try fetch(remote: remote, progress: progress) }
        guard let theirs = try repository.referenceTarget("refs/remotes/\(remote)/\(branch)").map(CommitID.init) else {
            throw JournalError.unknown(kind: "branch", name: "\(remote)/\(branch)")
        }
        return try locked {
            let reference = JournalLayout.branchReference(branch)
            guard let ours = try head(of: branch) else {
                try repository.updateReference(reference, to: theirs.object, expecting: nil, message: "xj pull: \(remote)/\(branch)")
                return .fastForward(theirs)
            }
            let base = try repository.mergeBase(ours, theirs)
            if ours == theirs || base == theirs { return .upToDate }
            if base == ours {
                repository.removeStaleReferenceLock(reference)
                try repository.updateReference(reference, to: theirs.object, expecting: ours.object, message: "xj pull: fast-forward")
                return .fastForward(theirs)
            }
            let baseTree = try base.map { try repository.commit($0).tree }
            let ourTree = try repository.commit(ours).tree
            let theirTree = try repository.commit(theirs).tree
            switch try repository.mergeTrees(base: baseTree, ours: ourTree, theirs: theirTree) {
            case let .failure(conflicts):
                throw JournalError.mergeConflict(conflicts.conflicts.map { ($0.path, $0.ours?.short ?? "deleted", $0.theirs?.short ?? "deleted") })
            case let .success(tree):
                let merged = try tree ?? repository.writeTree([])
                let summary = JournalRecord.summary(try changes(from: ourTree, to: merged))
                let message = "merge \(remote)/\(branch) into \(branch)" + (summary.isEmpty ? "" : "\n\n" + JournalRecord.trailerPrefix + summary) + "\n"
                let commit = try repository.writeCommit(tree: merged, parents: [ours, theirs], message: message, author: repository.defaultSignature())
                repository.removeStaleReferenceLock(reference)
                try repository.updateReference(reference, to: commit.object, expecting: ours.object, message: "xj pull: merge")
                return .merged(try record(commit))
            }
        }
    }

    /// Clones a journal into `<directory>/.journal` and makes a local branch for each of the remote's.
    public static func clone(_ url: String, into directory: String, progress: ((TransferProgress) -> Void)? = nil) throws -> LabJournal {
        let path = (directory as NSString).appendingPathComponent(JournalLayout.directoryName)
        if FileManager.default.fileExists(atPath: path) { throw JournalError.journalExists(path: path) }
        let repository = try GitRepository.clone(normalizedURL(url), to: path, progress: progress)
        // Nothing a hostile remote brings is kept: check everything before any local branch exists.
        let cloned = LabJournal(repository: repository)
        let problems = try cloned.incomingProblems(tips: try repository.references(matching: "refs/remotes/origin/*").map { CommitID($0.target) }, hiding: [])
        if let first = problems.first {
            try? FileManager.default.removeItem(atPath: path)
            throw JournalError.hostileRemote(remote: url, problem: first, more: problems.count - 1)
        }
        repository.stopReadingPacksDirectly()
        for reference in try repository.references(matching: "refs/remotes/origin/*") where !reference.name.hasSuffix("/HEAD") {
            let name = JournalLayout.branchPrefix + reference.name.dropFirst("refs/remotes/origin/".count)
            if try repository.referenceTarget(name) == nil {
                try repository.updateReference(name, to: reference.target, expecting: nil, message: "xj clone")
            }
        }
        // A remote whose HEAD names a branch it does not have (a `git init --bare` still on master
        // while the journal pushed main) leaves HEAD unborn: fall back to main, else the first branch.
        let journal = LabJournal(repository: repository)
        if try journal.head(of: try journal.currentBranch()) == nil {
            let branches = try repository.references(matching: JournalLayout.branchPrefix + "*").map(\.name)
            if let fallback = branches.first(where: { $0 == JournalLayout.branchReference(JournalLayout.defaultBranch) }) ?? branches.first {
                try repository.setHead(to: fallback)
            }
        }
        _ = try JournalLock(repository: repository)
        _ = try repository.privateDirectory("tmp")
        return journal
    }
}
