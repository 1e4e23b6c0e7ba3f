import JournalStore

// MARK: - Differences between revisions

extension LabJournal {
    /// Compares the journal state at two revisions: datasets (manifest fields), parameter sets
    /// (key by key) and every other record by path.
    public func diff(_ from: String, _ to: String) throws -> JournalDiff {
        let fromCommit = try resolveRevision(from)
        let toCommit = try resolveRevision(to)
        let changes = try self.changes(from: try repository.commit(fromCommit).tree, to: try repository.commit(toCommit).tree)
        var records: [RecordDifference] = []
        var others: [RecordChange] = []
        var added: [ExperimentRecord] = []
        var removed: [ExperimentRecord] = []
        for change in changes {
            let old = change.kind == .added ? nil : try oldID(of: change, in: fromCommit)
            let new = change.kind == .removed ? nil : change.record.id
            switch change.record.category {
            case JournalLayout.params:
                let before = try old.map { try parameterSet(BlobID($0), name: change.record.name).parameters.values } ?? [:]
                let after = try new.map { try parameterSet(BlobID($0), name: change.record.name).parameters.values } ?? [:]
                records.append(RecordDifference(change: change.kind, kind: "params", name: change.record.name, oldID: old, newID: new,
                                                values: ValueChange.between(before, after)))
            case JournalLayout.datasets:
                let before = try old.map { try summary(of: dataset(TreeID($0), name: change.record.name).manifest) } ?? [:]
                let after = try new.map { try summary(of: dataset(TreeID($0), name: change.record.name).manifest) } ?? [:]
                records.append(RecordDifference(change: change.kind, kind: "dataset", name: change.record.name, oldID: old, newID: new,
                                                values: ValueChange.between(before, after)))
            case JournalLayout.experiments:
                if let new { added.append(try experiment(TreeID(new))) }
                if let old { removed.append(try experiment(TreeID(old))) }
            default:
                others.append(change)
            }
        }
        // Pair experiments whose parameters are equal but whose run keys differ.
        var matched: [ExperimentDiff] = []
        var unpaired = removed
        for experiment in added {
            let parameters = CanonicalJSON.bytes(.object(experiment.params))
            if let index = unpaired.firstIndex(where: { CanonicalJSON.bytes(.object($0.params)) == parameters && $0.runKey != experiment.runKey }) {
                matched.append(ExperimentDiff(old: unpaired.remove(at: index), new: experiment))
            }
        }
        return JournalDiff(from: fromCommit, to: toCommit, records: records, others: others,
                           removedExperiments: removed, addedExperiments: added, matchedByParameters: matched)
    }

    private func oldID(of change: RecordChange, in commit: CommitID) throws -> ObjectID? {
        try repository.entry(at: change.record.path, in: try repository.commit(commit).tree)?.id
    }

    /// The manifest fields worth comparing, with columns keyed by name.
    private func summary(of manifest: DatasetManifest) -> [String: JSONValue] {
        var members = manifest.json.objectValue ?? [:]
        members["columns"] = .object(Dictionary(manifest.columns.map { ($0.name, $0.json) }, uniquingKeysWith: { first, _ in first }))
        return members
    }
}
