import JournalStore

// MARK: - The stage

extension LabJournal {
    /// The stage ref of the current line of inquiry, and the commit it points at, if anything is staged.
    /// A journal from before per-line stages keeps its one stage at `refs/xj/stage`: that is read as
    /// the stage of HEAD's line.
    func stageReference() throws -> (name: String, commit: CommitID?) {
        let branch = try currentBranch()
        let name = JournalLayout.stageReference(branch)
        if let target = try repository.referenceTarget(name) { return (name, CommitID(target)) }
        if branch == (try headBranch()), let legacy = try repository.referenceTarget(JournalLayout.legacyStageReference) {
            return (JournalLayout.legacyStageReference, CommitID(legacy))
        }
        return (name, nil)
    }

    /// The lines of inquiry other than the current one that have staged work, with how many records each has staged.
    public func otherLinesWithStagedWork() throws -> [(line: String, records: Int)] {
        let current = try currentBranch()
        return try repository.references(matching: JournalLayout.stagePrefix + "*").compactMap { reference in
            let line = String(reference.name.dropFirst(JournalLayout.stagePrefix.count))
            guard line != current else { return nil }
            return (line, try recordPaths(in: try repository.commit(CommitID(reference.target)).tree).count)
        }
    }

    /// The commit the current line's stage points at, if anything is staged.
    public func stageCommit() throws -> CommitID? {
        try stageReference().commit
    }

    /// The tree of staged paths (only what was added since the last commit), or nil.
    public func stagedTree() throws -> TreeID? {
        try stageCommit().map { try repository.commit($0).tree }
    }

    /// Puts entries at paths of the stage tree, under the journal lock, and moves the stage ref
    /// by compare-and-swap. Objects the entries name must already be written.
    public func stage(_ edits: [String: TreeEntry], note: String) throws {
        try locked {
            let (reference, previous) = try stageReference()
            let base = try previous.map { try repository.commit($0).tree }
            try replaceStage((reference, previous), with: try repository.editTree(base, edits.mapValues { Optional($0) }), note: note)
        }
    }

    /// Makes `tree` the current line's stage, in place of `current` (as `stageReference()` read it
    /// under the lock): a new stage commit on the line's own ref by compare-and-swap, or the ref
    /// deleted when `tree` is nil or empty. A legacy `refs/xj/stage` is moved to the line's ref.
    func replaceStage(_ current: (name: String, commit: CommitID?), with tree: TreeID?, note: String) throws {
        let target = JournalLayout.stageReference(try currentBranch())
        if let tree, !(try repository.tree(tree).isEmpty) {
            let commit = try repository.writeCommit(tree: tree, parents: [], message: "xj stage: " + note + "\n", author: repository.defaultSignature())
            repository.removeStaleReferenceLock(target)
            try repository.updateReference(target, to: commit.object, expecting: current.name == target ? current.commit?.object : nil, message: "xj stage: " + note)
            guard current.name != target else { return }
        }
        // The stage emptied, or the legacy stage now lives at its per-line ref.
        if let previous = current.commit {
            repository.removeStaleReferenceLock(current.name)
            try repository.deleteReference(current.name, expecting: previous.object)
        }
    }

    /// The records on the stage: paths such as `datasets/digits` with the object each names.
    public func stagedRecords() throws -> [JournalRecordPath] {
        guard let tree = try stagedTree() else { return [] }
        return try recordPaths(in: tree)
    }

    /// Every record path below a state tree, in path order.
    func recordPaths(in tree: TreeID) throws -> [JournalRecordPath] {
        var records: [JournalRecordPath] = []
        func walk(_ tree: TreeID, prefix: String, remaining: Int) throws {
            for entry in try repository.tree(tree) {
                let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                if remaining > 0, entry.kind == .tree {
                    try walk(TreeID(entry.id), prefix: path, remaining: remaining - 1)
                } else {
                    records.append(JournalRecordPath(path: path, id: entry.id))
                }
            }
        }
        for top in try repository.tree(tree) {
            if top.kind == .tree {
                try walk(TreeID(top.id), prefix: top.name, remaining: JournalLayout.recordDepth(of: top.name) - 1)
            } else {
                records.append(JournalRecordPath(path: top.name, id: top.id))
            }
        }
        return records.sorted { $0.path < $1.path }
    }

    // MARK: - Taking work off the stage

    /// The staged record paths that `target` names: a record path (`datasets/digits`,
    /// `experiments/ab/<run key>/<id>`), a dataset or parameter-set name, or an experiment id prefix
    /// (at least 4 hex digits).
    /// - Throws: `JournalError.unknownNamed` when nothing staged matches; `.invalidName` for a prefix of several.
    public func stagedPaths(matching target: String) throws -> [String] {
        let staged = try stagedRecords()
        if let exact = staged.first(where: { $0.path == target }) { return [exact.path] }
        let named = staged.filter { ($0.category == JournalLayout.datasets || $0.category == JournalLayout.params) && $0.name == target }
        if !named.isEmpty { return named.map(\.path) }
        if target.count >= 4, target.allSatisfy(\.isHexDigit) {
            let prefix = target.lowercased()
            let experiments = staged.filter { $0.category == JournalLayout.experiments && $0.name.hasPrefix(prefix) }
            if experiments.count > 1 {
                throw JournalError.invalidName(kind: "experiment id prefix", name: target, reason: "matches \(experiments.count) staged experiments; give more digits")
            }
            if let one = experiments.first { return [one.path] }
        }
        throw JournalError.unknownNamed(kind: "staged record", name: target,
                                        hint: RecordNames.suggestion(for: target, among: staged.map(\.name) + staged.map(\.path)))
    }

    /// Removes record paths from the current line's stage (the objects stay in the store); the stage
    /// ref is deleted when nothing is left, else moved by compare-and-swap.
    /// - Returns: the paths removed.
    @discardableResult
    public func unstage(_ paths: Set<String>) throws -> [String] {
        try locked {
            let (reference, previous) = try stageReference()
            guard let previous else { return [] }
            let tree = try repository.commit(previous).tree
            let present = try recordPaths(in: tree).map(\.path).filter(paths.contains)
            guard !present.isEmpty else { return [] }
            let remaining = try repository.editTree(tree, Dictionary(uniqueKeysWithValues: present.map { ($0, TreeEntry?.none) }))
            try replaceStage((reference, previous), with: remaining, note: "restore --staged")
            return present.sorted()
        }
    }

    /// Moves the current line's staged work onto `line`'s stage (laid over what is staged there), for
    /// `xj switch --carry`. - Returns: how many records moved.
    @discardableResult
    public func carryStage(to line: String) throws -> Int {
        try locked {
            let (reference, previous) = try stageReference()
            guard let previous, line != (try currentBranch()) else { return 0 }
            let moving = try repository.commit(previous).tree
            let target = JournalLayout.stageReference(line)
            let existing = try repository.referenceTarget(target).map(CommitID.init)
            let tree = try existing.map { try repository.overlay(moving, on: try repository.commit($0).tree) } ?? moving
            let commit = try repository.writeCommit(tree: tree, parents: [], message: "xj switch --carry\n", author: repository.defaultSignature())
            repository.removeStaleReferenceLock(target)
            try repository.updateReference(target, to: commit.object, expecting: existing?.object, message: "xj switch --carry")
            repository.removeStaleReferenceLock(reference)
            try repository.deleteReference(reference, expecting: previous.object)
            return try recordPaths(in: moving).count
        }
    }
}
