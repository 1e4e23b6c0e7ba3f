import JournalStore

// MARK: - Experiments

extension LabJournal {
    /// The experiment stored in an experiment tree.
    /// The bytes of a file inside an experiment's tree (`results/stderr.txt`), nil when it has none.
    public func experimentFile(_ id: TreeID, _ path: String) throws -> [UInt8]? {
        guard let entry = try repository.entry(at: path, in: id), entry.kind == .blob else { return nil }
        return try repository.blob(BlobID(entry.id))
    }

    /// - Parameter parts: the optional parts to read; those left out are empty in the record.
    public func experiment(_ id: TreeID, parts: ExperimentParts = .all) throws -> ExperimentRecord {
        let source = "experiment \(id.short)"
        func json(_ path: String) throws -> JSONValue {
            guard let entry = try repository.entry(at: path, in: id), entry.kind == .blob else {
                throw JournalError.malformedRecord(path: source, message: "has no \(path)")
            }
            return try JSONParser.parse(try repository.blob(BlobID(entry.id)), source: source + "/" + path)
        }
        guard let inputs = try repository.entry(at: "inputs", in: id), inputs.kind == .tree else {
            throw JournalError.malformedRecord(path: source, message: "has no inputs tree")
        }
        let dataset = try repository.entry(at: "inputs/dataset", in: id).flatMap { $0.kind == .tree ? TreeID($0.id) : nil }
        let command = try repository.entry(at: "inputs/command.json", in: id) != nil ? try json("inputs/command.json")["argv"]?.arrayValue : nil
        guard dataset != nil || command != nil else {
            throw JournalError.malformedRecord(path: source, message: "has neither inputs/dataset nor inputs/command.json")
        }
        var record = try ExperimentRecord(
            id: id, runKey: TreeID(inputs.id), datasetID: dataset,
            params: try json("inputs/params.json").objectValue ?? [:],
            metrics: try json("results/metrics.json").objectValue ?? [:],
            curves: parts.contains(.curves) && repository.entry(at: "results/curves.json", in: id) != nil ? json("results/curves.json").objectValue ?? [:] : [:],
            run: try json("run.json").objectValue ?? [:],
            weights: try repository.entry(at: "results/weights.npy", in: id).map { BlobID($0.id) })
        if parts.contains(.checks) { record.checks = try checks(of: id) }
        if parts.contains(.reportedParameters), try repository.entry(at: "results/params.json", in: id) != nil {
            record.reportedParams = try json("results/params.json").objectValue ?? [:]
        }
        record.command = command?.compactMap(\.stringValue)
        return record
    }

    /// The sanity-check findings recorded in an experiment (none when it has no `results/checks.json`).
    public func checks(of experiment: TreeID) throws -> [RecordedCheck] {
        guard let entry = try repository.entry(at: "results/checks.json", in: experiment), entry.kind == .blob else { return [] }
        let file = try JSONParser.parse(try repository.blob(BlobID(entry.id)), source: "experiment \(experiment.short)/results/checks.json")
        return (file.objectValue?["checks"]?.arrayValue ?? []).compactMap(RecordedCheck.init)
    }

    /// The name a dataset tree has in the working state, if any.
    public func datasetName(for id: TreeID) throws -> String? {
        guard let state = try workingState(), let folder = try repository.entry(at: JournalLayout.datasets, in: state), folder.kind == .tree else { return nil }
        return try repository.tree(TreeID(folder.id)).first { $0.id == id.object }?.name
    }

    /// Whether an experiment recorded any curve: a `results/curves.json` that is not an empty object,
    /// told from the blob's size (its header) unless it is small enough to hold `{}`.
    public func recordsCurves(_ id: TreeID) throws -> Bool {
        guard let entry = try repository.entry(at: "results/curves.json", in: id), entry.kind == .blob else { return false }
        guard try repository.blobSize(BlobID(entry.id)) <= 64 else { return true }
        let curves = try JSONParser.parse(try repository.blob(BlobID(entry.id)), source: "experiment \(id.short)/results/curves.json")
        return !(curves.objectValue?.isEmpty ?? true)
    }
}
