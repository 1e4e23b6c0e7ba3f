import JournalStore

// MARK: - Reading records back

extension LabJournal {
    /// Finds what a user names: a revision (`HEAD`, a branch, a commit id prefix), a dataset or
    /// parameter set by name in the working state, or a dataset or parameter set by id prefix.
    /// - Throws: `JournalError.unknown` when nothing matches.
    public func show(_ name: String) throws -> ShownObject {
        if let commit = try? resolveRevision(name) {
            return .record(try record(commit))
        }
        if let state = try workingState() {
            if (try? RecordNames.validate(name, kind: "dataset")) != nil {
                if let entry = try repository.entry(at: JournalLayout.datasetPath(name), in: state), entry.kind == .tree {
                    return .dataset(try dataset(TreeID(entry.id), name: name))
                }
                if let entry = try repository.entry(at: JournalLayout.paramsPath(name), in: state), entry.kind == .blob {
                    return .parameterSet(try parameterSet(BlobID(entry.id), name: name))
                }
            }
        }
        if let (id, kind) = try repository.resolvePrefix(name) {
            switch kind {
            case .commit: return .record(try record(CommitID(id)))
            case .tree where try repository.entry(at: "manifest.json", in: TreeID(id)) != nil:
                return .dataset(try dataset(TreeID(id), name: nil))
            case .tree where try repository.entry(at: "inputs", in: TreeID(id)) != nil && repository.entry(at: "run.json", in: TreeID(id)) != nil:
                return .experiment(try experiment(TreeID(id)))
            case .blob:
                if let parameters = try? parameterSet(BlobID(id), name: nil) { return .parameterSet(parameters) }
            default: break
            }
            throw JournalError.unknown(kind: "record (commit, dataset, parameter set or experiment) with id", name: name)
        }
        throw JournalError.unknownNamed(kind: "commit, dataset or parameter set named", name: name, hint: datasetNameHint(name))
    }

    /// The dataset stored in a dataset tree.
    public func dataset(_ id: TreeID, name: String?) throws -> DatasetRecord {
        let source = "dataset \(name ?? id.short)"
        guard let manifestEntry = try repository.entry(at: "manifest.json", in: id), manifestEntry.kind == .blob else {
            throw JournalError.malformedRecord(path: source, message: "has no manifest.json")
        }
        let manifest = try DatasetManifest(json: try JSONParser.parse(try repository.blob(BlobID(manifestEntry.id)), source: source + "/manifest.json"),
                                           source: source + "/manifest.json")
        guard let dataEntry = try repository.entry(at: manifest.format.fileName, in: id), dataEntry.kind == .blob else {
            throw JournalError.malformedRecord(path: source, message: "has no \(manifest.format.fileName)")
        }
        return DatasetRecord(name: name, id: id, data: BlobID(dataEntry.id), manifest: manifest)
    }

    /// The datasets of a journal-state tree by name (`datasets/<name>`).
    public func datasetIDs(in state: TreeID) throws -> [String: TreeID] {
        guard let folder = try repository.entry(at: JournalLayout.datasets, in: state), folder.kind == .tree else { return [:] }
        return Dictionary(try repository.tree(TreeID(folder.id)).filter { $0.kind == .tree }.map { ($0.name, TreeID($0.id)) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// The names of a journal-state tree's datasets by tree id (the first name when a tree has two).
    public func datasetNames(in state: TreeID) throws -> [TreeID: String] {
        Dictionary(try datasetIDs(in: state).sorted { $0.key < $1.key }.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The dataset called `name` in the working state (committed or staged).
    public func dataset(named name: String) throws -> DatasetRecord {
        guard let state = try workingState(), let entry = try repository.entry(at: JournalLayout.datasetPath(name), in: state), entry.kind == .tree else {
            throw unknownDataset(name)
        }
        return try dataset(TreeID(entry.id), name: name)
    }

    /// "no dataset … in the journal", with the nearest dataset name when one is a typo away.
    public func unknownDataset(_ name: String) -> JournalError {
        JournalError.unknownNamed(kind: "dataset", name: name, hint: datasetNameHint(name))
    }

    /// " (did you mean …?)" when `name` is a typo away from a dataset of the working state, else "".
    func datasetNameHint(_ name: String) -> String {
        let known = ((try? workingState()).flatMap { $0 }.flatMap { try? datasetIDs(in: $0) }.map { Array($0.keys) }) ?? []
        return RecordNames.suggestion(for: name, among: known)
    }

    /// The parameter set stored in a blob.
    public func parameterSet(_ id: BlobID, name: String?) throws -> ParameterSetRecord {
        let source = "params \(name ?? id.short)"
        guard let values = try JSONParser.parse(try repository.blob(id), source: source).objectValue else {
            throw JournalError.malformedRecord(path: source, message: "is not a JSON object")
        }
        return ParameterSetRecord(name: name, id: id, parameters: ParameterSet(values))
    }
}

extension LabJournal {
    /// The parameter set called `name` in the working state (committed or staged).
    /// - Throws: `JournalError.unknownNamed` with the closest stored name.
    public func parameterSet(named name: String) throws -> ParameterSetRecord {
        try RecordNames.validate(name, kind: "parameter set")
        guard let state = try workingState() else {
            throw JournalError.unknownNamed(kind: "parameter set", name: name, hint: " (store one with xj add --name \(name) key=value …)")
        }
        guard let entry = try repository.entry(at: JournalLayout.paramsPath(name), in: state), entry.kind == .blob else {
            let known = try repository.entry(at: JournalLayout.params, in: state).map { try repository.tree(TreeID($0.id)).map(\.name) } ?? []
            let hint = RecordNames.suggestion(for: name, among: known)
            throw JournalError.unknownNamed(kind: "parameter set", name: name, hint: hint.isEmpty ? " (store one with xj add --name \(name) key=value …)" : hint)
        }
        return try parameterSet(BlobID(entry.id), name: name)
    }
}
