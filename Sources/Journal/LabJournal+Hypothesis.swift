import JournalStore

// MARK: - Hypotheses

extension LabJournal {
    /// States a hypothesis: creates `hypothesis/<name>` from the current branch's tip with a commit that
    /// adds `hypothesis.md` and `predictions.json`, and switches to it.
    /// - Throws: `JournalError` for a bad name, an existing branch, a prediction that does not parse, or
    ///   a current branch with no commit yet.
    public func createHypothesis(name: String, statement: String, predictions texts: [String], sequential: Bool = false) throws -> (String, JournalRecord) {
        let branch = JournalLayout.hypothesisBranchPrefix + name
        guard !name.isEmpty, !name.contains("/") else {
            throw JournalError.invalidName(kind: "hypothesis", name: name, reason: "must be one non-empty name without `/`")
        }
        do { try RecordNames.validateBranch(branch) } catch {
            throw JournalError.invalidName(kind: "hypothesis", name: name, reason: "is not a valid git branch name")
        }
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw JournalError.invalidName(kind: "hypothesis", name: name, reason: "needs a statement") }
        guard !texts.isEmpty else { throw JournalError.invalidName(kind: "hypothesis", name: name, reason: "needs at least one --predict") }
        let predictions = try texts.map(PredictionParser.parse)
        let current = try currentBranch()
        guard let parent = try head(of: current) else {
            throw JournalError.unknown(kind: "commit on", name: current + " (commit the data first, then state the hypothesis)")
        }
        let markdown = "# \(name)\n\n\(trimmed)\n\n## Predictions\n\n" + predictions.enumerated().map { "\($0 + 1). `\($1.text)`" }.joined(separator: "\n") + "\n" +
            (sequential ? "\nStated as sequential: judged with an always-valid test, as often as new runs arrive.\n" : "")
        let id: CommitID = try locked {
            guard try head(of: branch) == nil else { throw JournalError.branchExists(branch) }
            let tree = try repository.editTree(try repository.commit(parent).tree, [
                JournalLayout.hypothesisFile: .blob(JournalLayout.hypothesisFile, try repository.writeBlob(Array(markdown.utf8))),
                JournalLayout.predictionsFile: .blob(JournalLayout.predictionsFile, try repository.writeBlob(CanonicalJSON.bytes(Hypothesis.predictionsJSON(predictions, sequential: sequential)))),
            ])
            let note = "hypothesis \(name): \(trimmed)\n\n" + JournalRecord.trailerPrefix + "+hypothesis.md, +predictions.json\n"
            let commit = try repository.writeCommit(tree: tree, parents: [parent], message: note,
                                                    author: repository.defaultSignature())
            try repository.updateReference(JournalLayout.branchReference(branch), to: commit.object, expecting: nil, message: "xj hypothesis new")
            try repository.setHead(to: JournalLayout.branchReference(branch))
            return commit
        }
        return (branch, try record(id))
    }

    /// The hypothesis stated in a state tree, if there is one.
    public func hypothesis(in state: TreeID, name: String) throws -> Hypothesis? {
        guard let statementEntry = try repository.entry(at: JournalLayout.hypothesisFile, in: state),
              let predictionsEntry = try repository.entry(at: JournalLayout.predictionsFile, in: state) else { return nil }
        let statement = String(decoding: try repository.blob(BlobID(statementEntry.id)), as: UTF8.self)
        let stored = try JSONParser.parse(try repository.blob(BlobID(predictionsEntry.id)), source: JournalLayout.predictionsFile)
        let predictions = try (stored["predictions"]?.arrayValue ?? []).map { item -> Prediction in
            guard let text = item["text"]?.stringValue else {
                throw JournalError.malformedRecord(path: JournalLayout.predictionsFile, message: "a prediction has no text")
            }
            return try PredictionParser.parse(text)
        }
        let verdict = try repository.entry(at: JournalLayout.verdictFile, in: state).map {
            try JSONParser.parse(try repository.blob(BlobID($0.id)), source: JournalLayout.verdictFile)
        }
        return Hypothesis(name: name, statement: statement, predictions: predictions, verdict: verdict,
                          sequential: stored["sequential"]?.boolValue ?? false)
    }

    /// The hypothesis of a branch (its tip's tree), if it states one.
    public func hypothesis(onBranch branch: String) throws -> Hypothesis? {
        guard let tip = try head(of: branch) else { return nil }
        let name = branch.hasPrefix(JournalLayout.hypothesisBranchPrefix) ? String(branch.dropFirst(JournalLayout.hypothesisBranchPrefix.count)) : branch
        return try hypothesis(in: try repository.commit(tip).tree, name: name)
    }

    /// Every experiment in a state tree, with the optional `parts` read.
    public func experiments(in state: TreeID, parts: ExperimentParts = .all) throws -> [ExperimentRecord] {
        guard let folder = try repository.entry(at: JournalLayout.experiments, in: state), folder.kind == .tree else { return [] }
        return try recordPaths(in: state).filter { $0.category == JournalLayout.experiments }.map { try experiment(TreeID($0.id), parts: parts) }
    }

    /// The summaries of every experiment in a state tree, in the tree's order, from the summary cache
    /// (one short line parsed per experiment instead of four blobs; Docs/Performance.md, "Judging").
    /// - Throws: what reading the experiment throws, for one the cache cannot summarise (missing or damaged).
    public func experimentSummaries(in state: TreeID) throws -> [ExperimentSummary] {
        let ids = try experimentIDs(in: state)
        let summaries = ExperimentSummaryCache(journal: self).summaryList(of: ids)
        return try zip(ids, summaries).map { id, summary in try summary ?? ExperimentSummary(journal: self, experiment: TreeID(id)) }
    }

    /// The experiments of a state tree in the tree's order: from the run index when the state is a tree
    /// it covers, else by walking the tree.
    func experimentIDs(in state: TreeID) throws -> [ObjectID] {
        guard let folder = try repository.entry(at: JournalLayout.experiments, in: state), folder.kind == .tree else { return [] }
        return try RunIndex(journal: self).experiments(inTreeOf: state)
            ?? recordPaths(in: state).filter { $0.category == JournalLayout.experiments }.map(\.id)
    }

    /// The experiments of a state tree as records of what their summaries hold: `ExperimentRecord(summary:)` of each.
    public func experimentsForVerdict(in state: TreeID) throws -> [ExperimentRecord] {
        ExperimentRecord.records(of: try experimentSummaries(in: state))
    }

    /// The experiments of a state tree as a verdict reads them, by column, in the tree's order: from the
    /// summary cache's records without building a summary of each.
    /// - Throws: what reading the experiment throws, for one the cache cannot summarise (missing or damaged).
    public func experimentColumns(in state: TreeID) throws -> ExperimentColumns {
        let ids = try experimentIDs(in: state)
        let (columns, missing) = ExperimentSummaryCache(journal: self).columns(of: ids)
        if let first = missing.first { _ = try ExperimentSummary(journal: self, experiment: TreeID(first)) }
        return columns
    }

    /// Stages `verdict.json` and commits it alone, with `message` as the note: the verdict is drawn from
    /// committed experiments, and other staged work stays staged.
    public func recordVerdict(_ verdict: JSONValue, message: String) throws -> JournalRecord {
        let blob = try repository.writeBlob(CanonicalJSON.bytes(verdict))
        try stage([JournalLayout.verdictFile: .blob(JournalLayout.verdictFile, blob)], note: "verdict")
        return try commit(message: message, allowEmpty: true, only: [JournalLayout.verdictFile])
    }
}
