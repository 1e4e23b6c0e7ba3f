import JournalStore

// MARK: - The experiment table

extension LabJournal {
    /// The experiments recorded on one line of inquiry (committed or staged), or with `line` nil on
    /// every line, remote-tracking branch and stage, each with its summary (from the summary cache),
    /// where it is recorded, its dataset's name, tags and note. Unordered.
    /// - Parameter select: narrows the index's entries before any summary is read (a table of the
    ///   newest 20 of 100,000 experiments reads 20 summaries).
    /// - Parameter hexPrefix: only experiments whose run key or id starts with these hex digits
    ///   (matched in the index before anything is decoded).
    public func experimentRows(line: String?, hexPrefix: String? = nil, select: (([RunIndexEntry]) -> [RunIndexEntry])? = nil) throws -> [ExperimentRow] {
        let scope = try experimentScope(line: line, hexPrefix: hexPrefix)
        return rows(of: select?(scope.entries) ?? scope.entries, in: scope, cache: ExperimentSummaryCache(journal: self))
    }

    /// The index's entries for one line of inquiry (committed or staged), or with `line` nil for
    /// every line, remote-tracking branch and stage, with the dataset names, tags and notes of the
    /// line's states; no summary is read.
    public func experimentScope(line: String?, hexPrefix: String? = nil) throws -> ExperimentScope {
        let index = RunIndex(journal: self)
        let snapshot = try index.refreshed()
        var entries: [RunIndexEntry]
        var states: [TreeID] = []
        if let line {
            let held: Set<String> = [JournalLayout.branchReference(line), JournalLayout.stageReference(line)]
            if let hexPrefix {
                entries = snapshot.entries(withHexPrefix: hexPrefix).filter { $0.references.contains(where: held.contains) }
            } else {
                // Picked by their ref bits: the line's 100,000 entries are not decoded, then filtered.
                entries = snapshot.entries(heldBy: held)
            }
            if let tip = try head(of: line) { states.append(try repository.commit(tip).tree) }
            if line == (try? currentBranch()), let staged = try workingState() { states.append(staged) }
        } else {
            entries = hexPrefix.map(snapshot.entries(withHexPrefix:)) ?? snapshot.entries
            if let working = try workingState() { states.append(working) }
            for reference in snapshot.references where !reference.name.hasPrefix(JournalLayout.stagePrefix) {
                if let commit = try? repository.commit(CommitID(reference.target)) { states.append(commit.tree) }
            }
        }
        var datasetNames: [ObjectID: String] = [:]
        var tags: [ObjectID: Set<String>] = [:]
        var notes: [ObjectID: String] = [:]
        var seen: Set<TreeID> = []
        for state in states where seen.insert(state).inserted {
            for (id, name) in try self.datasetNames(in: state) where datasetNames[id.object] == nil { datasetNames[id.object] = name }
            for (experiment, names) in try self.tags(in: state) { tags[experiment, default: []].formUnion(names) }
            for (experiment, note) in try self.notes(in: state) where notes[experiment] == nil { notes[experiment] = note }
        }
        return ExperimentScope(entries: entries, datasetNames: datasetNames, tags: tags, notes: notes)
    }

    /// The rows of these entries of `scope`, in their order, with summaries from `cache`. An entry
    /// whose summary cannot be had is left out and added to `damagedExperiments`.
    public func rows(of entries: [RunIndexEntry], in scope: ExperimentScope, cache: ExperimentSummaryCache) -> [ExperimentRow] {
        let summaries = cache.summaryList(of: entries.map(\.experiment))
        return zip(entries, summaries).compactMap { entry, summary in
            guard let summary else {
                // Listed by the index but unreadable: the command says so after its output.
                if !damagedExperiments.contains(entry) { damagedExperiments.append(entry) }
                return nil
            }
            return ExperimentRow(summary: summary, references: entry.references, datasetName: summary.dataset.flatMap { scope.datasetNames[$0] },
                                 tags: (scope.tags[entry.experiment] ?? []).sorted(), note: scope.notes[entry.experiment])
        }
    }
}

extension LabJournal {
    /// The recorded experiment (on any line, remote-tracking branch or stage) whose id starts with `prefix`.
    /// - Throws: `JournalError.unknown` when none does, `.invalidName` when the prefix is too short or matches several.
    public func recordedExperiment(matching prefix: String) throws -> ObjectID {
        let wanted = prefix.lowercased()
        guard wanted.count >= 4, wanted.count <= 40, wanted.allSatisfy(\.isHexDigit) else {
            throw JournalError.invalidName(kind: "experiment id", name: prefix, reason: "is not an experiment id or a prefix of at least 4 hex digits (xj runs lists them)")
        }
        let digits = Array(wanted.utf8)
        let matches = Set(try RunIndex(journal: self).refreshed().entries(withHexPrefix: wanted).map(\.experiment).filter { $0.hasHexPrefix(digits) })
        if matches.count > 1 {
            throw JournalError.invalidName(kind: "experiment id prefix", name: prefix, reason: "matches \(matches.count) experiments; give more digits")
        }
        guard let found = matches.first else {
            throw JournalError.unknown(kind: "recorded experiment (on any line; xj runs --all lists them) with id", name: prefix)
        }
        return found
    }
}
