import JournalStore

// MARK: - Commit and history

extension LabJournal {
    /// Records what is staged on the current line of inquiry with the researcher's note, then clears its stage.
    ///
    /// Under the journal lock: the stage is laid over the branch tip's tree, the commit is written,
    /// the branch moves by compare-and-swap, and only then is the stage ref removed. A process killed
    /// at any point leaves the branch on a complete commit; a stage left behind by a kill between the
    /// last two steps adds nothing new and is cleared by the next commit.
    /// - Parameter allowEmpty: record a commit even when nothing is staged (a note in the journal).
    /// - Parameter only: commit just these staged record paths (a sweep's own experiments), leaving the
    ///   rest of the stage staged; nil commits everything staged.
    /// - Throws: `JournalError.nothingStaged` when there is nothing new to record.
    public func commit(message: String, allowEmpty: Bool = false, only: Set<String>? = nil) throws -> JournalRecord {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw JournalError.invalidName(kind: "commit", name: message, reason: "message is empty; say what the commit records")
        }
        let (id, recorded): (CommitID, [RecordChange]) = try locked {
            let branch = try currentBranch()
            let reference = JournalLayout.branchReference(branch)
            let parent = try head(of: branch)
            let base = try parent.map { try repository.commit($0).tree }
            let (stageReference, stage) = try stageReference()
            var tree = base
            // What stays staged after this commit (nil: nothing).
            var remaining: TreeID? = nil
            if let stage {
                var staged = try repository.commit(stage).tree
                if let only {
                    let kept = try recordPaths(in: staged).filter { !only.contains($0.path) }
                    if !kept.isEmpty {
                        let leftOut = try repository.editTree(nil, Dictionary(uniqueKeysWithValues: try kept.map { record in
                            (record.path, try repository.entry(at: record.path, in: staged)) }))
                        remaining = leftOut
                        staged = try repository.editTree(staged, Dictionary(uniqueKeysWithValues: kept.map { ($0.path, TreeEntry?.none) }))
                    }
                }
                tree = try repository.overlay(staged, on: base)
            }
            if tree == base && !allowEmpty {
                if remaining == nil { try replaceStage((stageReference, stage), with: nil, note: "nothing new") }
                throw JournalError.nothingStaged
            }
            // The trailer lets `xj log` say what a commit recorded without diffing its trees.
            let recorded = try changes(from: base, to: tree)
            var summary = JournalRecord.summary(recorded)
            let added = recorded.filter { $0.kind == .added && $0.record.category == JournalLayout.experiments }
            let flagged = RecordedCheck.flagged(try added.flatMap { try checks(of: TreeID($0.record.id)) })
            if !flagged.isEmpty { summary += " (checks: \(flagged))" }
            let message = trimmed + (summary.isEmpty ? "" : "\n\n" + JournalRecord.trailerPrefix + summary) + "\n"
            let commit = try repository.writeCommit(tree: try tree ?? repository.writeTree([]), parents: parent.map { [$0] } ?? [],
                                                    message: message, author: repository.defaultSignature())
            repository.removeStaleReferenceLock(reference)
            try repository.updateReference(reference, to: commit.object, expecting: parent?.object, message: "xj commit: " + firstLine(trimmed))
            // What was not committed stays staged; an emptied stage is removed.
            try replaceStage((stageReference, stage), with: remaining, note: "kept after a commit of part of it")
            return (commit, recorded)
        }
        return try record(id, changes: recorded)
    }

    /// A commit with what it recorded and the branches that point at it.
    /// - Parameter detailed: list every changed record; when false and the commit carries xj's
    ///   `Recorded:` trailer, the trees are not compared (fast for commits of large sweeps).
    /// - Parameter known: the changes when the caller has already computed them (as `commit` has).
    public func record(_ id: CommitID, detailed: Bool = true, changes known: [RecordChange]? = nil) throws -> JournalRecord {
        let commit = try repository.commit(id)
        let trailer = JournalRecord.trailer(of: commit.message)
        let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
        let tips = try repository.references(matching: JournalLayout.branchPrefix + "*")
            .filter { $0.target == id.object }
            .map { String($0.name.dropFirst(JournalLayout.branchPrefix.count)) }
        var status: String?
        if try repository.entry(at: JournalLayout.hypothesisFile, in: commit.tree) != nil {
            status = "open"
            if let verdict = try repository.entry(at: JournalLayout.verdictFile, in: commit.tree) {
                status = (try? JSONParser.parse(try repository.blob(BlobID(verdict.id)), source: JournalLayout.verdictFile))?["status"]?.stringValue ?? "open"
            }
        }
        let recorded = try known ?? (detailed || trailer == nil ? changes(from: parentTree, to: commit.tree) : [])
        return JournalRecord(commit: commit, branches: tips, changes: recorded, hypothesisStatus: status, recordedTrailer: trailer)
    }

    /// The history of a revision (default: the current branch), newest first.
    /// - Parameter detailed: list each commit's changed records (as `show` does) rather than read its trailer.
    public func log(from revision: String? = nil, limit: Int? = nil, detailed: Bool = false) throws -> [JournalRecord] {
        let start: CommitID?
        if let revision {
            start = try resolveRevision(revision)
        } else {
            start = try head(of: try currentBranch())
        }
        guard let start else { return [] }
        return try repository.history(from: [start], limit: limit).map { try record($0, detailed: detailed) }
    }

    /// A commit named by a branch, `HEAD`, `main~2` or an id prefix.
    /// - Throws: `JournalError.unknown` when it names no commit.
    public func resolveRevision(_ revision: String) throws -> CommitID {
        if (try? RecordNames.validateBranch(revision)) != nil, let tip = try head(of: revision) { return tip }
        guard let id = try repository.resolveCommit(revision) else {
            throw JournalError.unknown(kind: "branch or commit", name: revision)
        }
        return id
    }

    /// Records added, changed or removed between two state trees; identical subtrees are skipped
    /// without being read, so the cost follows the size of the change, not of the journal.
    public func changes(from old: TreeID?, to new: TreeID?) throws -> [RecordChange] {
        var found: [RecordChange] = []
        func compare(_ old: TreeID?, _ new: TreeID?, prefix: String, depth: Int?) throws {
            guard old != new else { return }
            let before = try entriesByName(old)
            let after = try entriesByName(new)
            for name in Set(before.keys).union(after.keys).sorted() {
                let path = prefix.isEmpty ? name : prefix + "/" + name
                let left = before[name]
                let right = after[name]
                if left?.id == right?.id { continue }
                let remaining = depth ?? JournalLayout.recordDepth(of: name)
                if remaining > 0, left?.kind ?? .tree == .tree, right?.kind ?? .tree == .tree {
                    try compare(left.map { TreeID($0.id) }, right.map { TreeID($0.id) }, prefix: path, depth: remaining - 1)
                    continue
                }
                if left != nil, let right {
                    found.append(RecordChange(kind: .changed, record: JournalRecordPath(path: path, id: right.id)))
                } else if let right {
                    found.append(RecordChange(kind: .added, record: JournalRecordPath(path: path, id: right.id)))
                } else if let left {
                    found.append(RecordChange(kind: .removed, record: JournalRecordPath(path: path, id: left.id)))
                }
            }
        }
        try compare(old, new, prefix: "", depth: nil)
        return found
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1).first ?? "")
    }

    /// The commit that first recorded each of these experiments: the oldest of `history` (newest first,
    /// as `history(from:)` lists it) whose tree holds the experiment and whose first parent's does not.
    /// Only the folders on the experiments' paths are compared, so a commit that recorded 100,000 others
    /// costs a few tree reads rather than a list of its changes.
    public func firstRecordings(of experiments: [(runKey: TreeID, experiment: TreeID)], history: [CommitID]) throws -> [TreeID: CommitID] {
        // Pending experiments by shard (`experiments/<2 hex>`), then by run-key folder.
        var pending: [String: [String: [TreeID]]] = [:]
        for (runKey, experiment) in experiments {
            pending[String(runKey.hex.prefix(2)), default: [:]][runKey.hex, default: []].append(experiment)
        }
        var found: [TreeID: CommitID] = [:]
        // The entries of a folder by name: none when it is missing or not a folder.
        func listing(_ entry: TreeEntry?) throws -> [String: TreeEntry] {
            guard let entry, entry.kind == .tree else { return [:] }
            return try entriesByName(TreeID(entry.id))
        }
        for id in history.reversed() where !pending.isEmpty {
            let commit = try repository.commit(id)
            let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
            let folder = try repository.entry(at: JournalLayout.experiments, in: commit.tree)
            let parentFolder = try parentTree.flatMap { try repository.entry(at: JournalLayout.experiments, in: $0) }
            guard folder != nil, folder?.id != parentFolder?.id else { continue }
            let shards = try listing(folder), parentShards = try listing(parentFolder)
            for (shard, folders) in pending {
                guard let entry = shards[shard], entry.id != parentShards[shard]?.id else { continue }
                let runKeys = try listing(entry), parentRunKeys = try listing(parentShards[shard])
                for (runKey, ids) in folders {
                    guard let now = runKeys[runKey], now.id != parentRunKeys[runKey]?.id else { continue }
                    let present = try listing(now), before = try listing(parentRunKeys[runKey])
                    for experiment in ids where present[experiment.hex] != nil && before[experiment.hex] == nil { found[experiment] = id }
                    let left = ids.filter { found[$0] == nil }
                    pending[shard]![runKey] = left.isEmpty ? nil : left
                }
                if pending[shard]!.isEmpty { pending[shard] = nil }
            }
        }
        return found
    }

    /// A tree's entries by name (none for no tree); the first of two with one name.
    func entriesByName(_ tree: TreeID?) throws -> [String: TreeEntry] {
        guard let tree else { return [:] }
        return Dictionary(try repository.tree(tree).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
