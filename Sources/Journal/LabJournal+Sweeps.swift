import Foundation
import JournalStore

// MARK: - Cluster sweeps: task refs on a shared remote

extension LabJournal {
    /// A sweep's name: letters, digits, `.`, `_` and `-`, at most 64, not starting with `.` or `-`
    /// (it is one component of a ref name).
    public static func validateSweepName(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        guard !name.isEmpty, name.count <= 64, allowed, !name.hasPrefix("."), !name.hasPrefix("-"), !name.hasSuffix(".lock"), !name.contains("..") else {
            throw JournalError.invalidName(kind: "sweep", name: name, reason: "must be 1–64 letters, digits, '.', '_' or '-', not starting with '.' or '-'")
        }
    }

    /// The URL of a configured remote. - Throws: `JournalError.unknownNamed` with the nearest name.
    public func remoteURL(_ remote: String) throws -> String {
        let remotes = try repository.remotes()
        guard let url = remotes.first(where: { $0.name == remote })?.url else {
            throw JournalError.unknownNamed(kind: "remote", name: remote, hint: RecordNames.suggestion(for: remote, among: remotes.map(\.name)))
        }
        return url
    }

    /// The task refs of `sweep` (every sweep when nil) as last fetched from `remote`.
    public func sweepTasks(remote: String, sweep: String?) throws -> [SweepTaskReference] {
        let prefix = JournalLayout.remoteSweepPrefix + remote + "/" + (sweep.map { $0 + "/" } ?? "")
        return try repository.references(matching: prefix + "*").compactMap { reference in
            let parts = reference.name.dropFirst(JournalLayout.remoteSweepPrefix.count + remote.count + 1).split(separator: "/")
            guard parts.count == 2, let task = Int(parts[1]) else { return nil }
            return SweepTaskReference(remote: remote, sweep: String(parts[0]), task: task, tip: CommitID(reference.target))
        }.sorted { ($0.sweep, $0.task) < ($1.sweep, $1.task) }
    }

    /// Fetches the task refs of `sweep` (or of every sweep) from `remote`. As with `fetch`, what arrives is
    /// checked before any local ref moves; the local copies then move by compare-and-swap and copies of
    /// task refs the remote no longer has are removed.
    /// - Parameter task: only this task's ref (a task needs no other: shards never overlap), which
    ///   keeps a task of a thousand-task sweep from downloading every other task's records.
    @discardableResult
    public func fetchSweeps(remote: String, sweep: String?, task: Int? = nil, progress: ((TransferProgress) -> Void)? = nil) throws -> [SweepTaskReference] {
        if let sweep { try Self.validateSweepName(sweep) }
        precondition(task == nil || sweep != nil, "a task ref is named within its sweep")
        _ = try remoteURL(remote)
        let scope = sweep.map { $0 + "/" } ?? ""
        let incomingPrefix = "refs/xj/incoming-sweeps/\(remote)/"
        clearTransientReferences(incomingPrefix)
        defer { clearTransientReferences(incomingPrefix) }
        let pattern = task.map(String.init) ?? "*"
        try repository.fetch(remote: remote, refspecs: ["+\(JournalLayout.sweepPrefix)\(scope)\(pattern):\(incomingPrefix)\(scope)\(pattern)"], progress: progress)
        let incoming = try repository.references(matching: incomingPrefix + "*")
        let problems = try incomingProblems(tips: incoming.map { CommitID($0.target) })
        if let first = problems.first { throw JournalError.hostileRemote(remote: remote, problem: first, more: problems.count - 1) }
        let localPrefix = JournalLayout.remoteSweepPrefix + remote + "/"
        try locked {
            var arrived: Set<String> = []
            for reference in incoming {
                let relative = String(reference.name.dropFirst(incomingPrefix.count))
                let parts = relative.split(separator: "/")
                // Only <sweep>/<task number> is a task ref; anything else on the remote is not ours to copy.
                guard parts.count == 2, Int(parts[1]) != nil, (try? Self.validateSweepName(String(parts[0]))) != nil else { continue }
                let local = localPrefix + relative
                arrived.insert(local)
                let current = try repository.referenceTarget(local)
                guard current != reference.target else { continue }
                repository.removeStaleReferenceLock(local)
                try repository.updateReference(local, to: reference.target, expecting: current, message: "xj fetch: sweep task")
            }
            for reference in try repository.references(matching: localPrefix + scope + pattern) where !arrived.contains(reference.name) {
                try repository.deleteReference(reference.name, expecting: reference.target)
            }
        }
        return try sweepTasks(remote: remote, sweep: sweep).filter { task == nil || $0.task == task }
    }

    /// The task refs of `sweep` (or of every sweep) on `remote` with their objects downloaded and
    /// checked like any fetch, but without creating a local ref for each (a gather of a thousand tasks
    /// needs their tips once, not two thousand ref files).
    public func downloadSweeps(remote: String, sweep: String?, progress: ((TransferProgress) -> Void)? = nil) throws -> [SweepTaskReference] {
        if let sweep { try Self.validateSweepName(sweep) }
        _ = try remoteURL(remote)
        let prefix = JournalLayout.sweepPrefix + (sweep.map { $0 + "/" } ?? "")
        let advertised = try repository.download(remote: remote, prefix: prefix, progress: progress)
        let tasks = advertised.compactMap { reference -> SweepTaskReference? in
            let parts = reference.name.dropFirst(JournalLayout.sweepPrefix.count).split(separator: "/")
            guard parts.count == 2, let task = Int(parts[1]), (try? Self.validateSweepName(String(parts[0]))) != nil else { return nil }
            return SweepTaskReference(remote: remote, sweep: String(parts[0]), task: task, tip: CommitID(reference.target))
        }
        let problems = try incomingProblems(tips: tasks.map(\.tip))
        if let first = problems.first { throw JournalError.hostileRemote(remote: remote, problem: first, more: problems.count - 1) }
        return tasks.sorted { ($0.sweep, $0.task) < ($1.sweep, $1.task) }
    }

    /// Moves `refs/xj/sweeps/<sweep>/<task>` on `remote` to the current line's tip, by compare-and-swap
    /// against `expected` (the value this task last pushed or fetched; nil: the ref must not exist).
    /// - Throws: `JournalError.remoteAhead` naming the task ref when it had moved (nothing changed).
    public func pushSweepTask(remote: String, sweep: String, task: Int, expected: CommitID?) throws -> SweepTaskReference {
        try Self.validateSweepName(sweep)
        let url = try remoteURL(remote)
        guard let tip = try head(of: try currentBranch()) else { throw JournalError.nothingStaged }
        let reference = SweepTaskReference(remote: remote, sweep: sweep, task: task, tip: tip)
        let update = RemoteReferenceUpdate(name: reference.remoteName, target: tip.object, expected: expected?.object)
        let moved = try Self.localPath(url).map { try repository.updateReferences(inRepositoryAt: $0, [update]) }
            ?? repository.updateReferences(remote: remote, [update])
        if !moved.isEmpty { throw JournalError.remoteAhead(remote: remote, branch: String(reference.remoteName.dropFirst("refs/".count))) }
        let current = try repository.referenceTarget(reference.localName)
        if current != tip.object { try? repository.updateReference(reference.localName, to: tip.object, expecting: current, message: "xj sweep: pushed") }
        return reference
    }

    /// Deletes task refs from their remote, each only if it still has the value gathered (a task that
    /// pushed again since keeps its ref for the next gather), and then their local copies.
    /// - Returns: the task refs kept because they had moved.
    public func deleteSweepTasks(_ tasks: [SweepTaskReference]) throws -> [SweepTaskReference] {
        var kept: [SweepTaskReference] = []
        for (remote, group) in Dictionary(grouping: tasks, by: \.remote) {
            let url = try remoteURL(remote)
            let updates = group.map { RemoteReferenceUpdate(name: $0.remoteName, target: nil, expected: $0.tip.object) }
            let moved = Set(try Self.localPath(url).map { try repository.updateReferences(inRepositoryAt: $0, updates) }
                ?? repository.updateReferences(remote: remote, updates))
            for task in group {
                if moved.contains(task.remoteName) { kept.append(task); continue }
                // The local copy mirrors a ref that is gone now, whatever value it last saw.
                if let copy = try repository.referenceTarget(task.localName) { try? repository.deleteReference(task.localName, expecting: copy) }
            }
        }
        return kept.sorted { ($0.sweep, $0.task) < ($1.sweep, $1.task) }
    }

    /// Brings `commits` into the current line of inquiry: nothing when each is already in it, a
    /// fast-forward when the line is empty or is an ancestor of the only new commit, else one merge
    /// commit whose parents are the tip and every new commit and whose tree is their union (experiments
    /// live at paths made of their own ids, so records of different tasks cannot conflict).
    /// - Returns: the line's new tip (nil when nothing was new) and the records it added.
    /// - Throws: `JournalError.mergeConflict` (the line is left as it was).
    /// - Parameter fastForward: allow the fast-forward; false always writes the one commit (`xj gather`:
    ///   the line then shows the sweep as one commit, whatever the number of tasks).
    public func mergeIntoLine(_ commits: [CommitID], message: String, fastForward allowed: Bool = true) throws -> (tip: CommitID, added: [RecordChange])? {
        try locked {
            let branch = try currentBranch()
            let reference = JournalLayout.branchReference(branch)
            let ours = try head(of: branch)
            var new: [CommitID] = []
            for commit in commits where !new.contains(commit) {
                if let ours, try repository.isAncestor(commit.object, of: ours.object) { continue }
                new.append(commit)
            }
            guard !new.isEmpty else { return nil }
            let fastForward = try new.count == 1 && (ours == nil || allowed && repository.isAncestor(ours!.object, of: new[0].object))
            if fastForward {
                let before = try ours.map { try repository.commit($0).tree }
                repository.removeStaleReferenceLock(reference)
                try repository.updateReference(reference, to: new[0].object, expecting: ours?.object, message: "xj gather: fast-forward")
                return (new[0], try changes(from: before, to: try repository.commit(new[0]).tree))
            }
            let ourTree = try ours.map { try repository.commit($0).tree }
            // A sweep's tasks only add experiments: their additions are collected and written into the
            // line's tree in one edit (each tree written once, not once per task). A commit that changed
            // or removed a record goes through the three-way merge below instead.
            var additions: [String: TreeEntry] = [:]
            var conflicts: [(String, String, String)] = []
            var threeWay: [CommitID] = []
            for commit in new {
                let base = try ours.flatMap { try repository.mergeBase($0, commit) }.map { try repository.commit($0).tree }
                let theirTree = try repository.commit(commit).tree
                let changed = try changes(from: base, to: theirTree)
                guard changed.allSatisfy({ $0.kind == .added }) else { threeWay.append(commit); continue }
                for change in changed {
                    guard let entry = try repository.entry(at: change.record.path, in: theirTree) else { continue }
                    if let other = additions[change.record.path], other.id != entry.id {
                        conflicts.append((change.record.path, other.id.short, entry.id.short))
                    }
                    additions[change.record.path] = entry
                }
            }
            for (path, entry) in additions {
                guard let ourTree, let existing = try repository.entry(at: path, in: ourTree) else { continue }
                if existing.id == entry.id { additions[path] = nil } else { conflicts.append((path, existing.id.short, entry.id.short)) }
            }
            if !conflicts.isEmpty { throw JournalError.mergeConflict(conflicts.sorted { $0.0 < $1.0 }) }
            var tree = additions.isEmpty ? ourTree : try repository.editTree(ourTree, additions.mapValues { Optional($0) })
            for commit in threeWay {
                let base = try ours.flatMap { try repository.mergeBase($0, commit) }.map { try repository.commit($0).tree }
                switch try repository.mergeTrees(base: base, ours: tree, theirs: try repository.commit(commit).tree) {
                case let .failure(conflicts):
                    throw JournalError.mergeConflict(conflicts.conflicts.map { ($0.path, $0.ours?.short ?? "deleted", $0.theirs?.short ?? "deleted") })
                case let .success(merged):
                    tree = merged
                }
            }
            let merged = try tree ?? repository.writeTree([])
            let added = try changes(from: ourTree, to: merged)
            let summary = JournalRecord.summary(added)
            let text = message + (summary.isEmpty ? "" : "\n\n" + JournalRecord.trailerPrefix + summary) + "\n"
            let commit = try repository.writeCommit(tree: merged, parents: (ours.map { [$0] } ?? []) + new, message: text,
                                                    author: repository.defaultSignature())
            repository.removeStaleReferenceLock(reference)
            try repository.updateReference(reference, to: commit.object, expecting: ours?.object, message: "xj gather")
            return (commit, added)
        }
    }
}
