import JournalStore

// MARK: - The stage

extension LabJournal {
    /// The commit `refs/xj/stage` points at, if anything is staged.
    public func stageCommit() throws -> CommitID? {
        try repository.referenceTarget(JournalLayout.stageReference).map(CommitID.init)
    }

    /// The tree of staged paths (only what was added since the last commit), or nil.
    public func stagedTree() throws -> TreeID? {
        try stageCommit().map { try repository.commit($0).tree }
    }

    /// Puts entries at paths of the stage tree, under the journal lock, and moves the stage ref
    /// by compare-and-swap. Objects the entries name must already be written.
    public func stage(_ edits: [String: TreeEntry], note: String) throws {
        try locked {
            let previous = try stageCommit()
            let base = try previous.map { try repository.commit($0).tree }
            let tree = try repository.editTree(base, edits.mapValues { Optional($0) })
            let commit = try repository.writeCommit(tree: tree, parents: [], message: "xj stage: " + note + "\n", author: repository.defaultSignature())
            repository.removeStaleReferenceLock(JournalLayout.stageReference)
            try repository.updateReference(JournalLayout.stageReference, to: commit.object, expecting: previous?.object, message: "xj stage: " + note)
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
}
