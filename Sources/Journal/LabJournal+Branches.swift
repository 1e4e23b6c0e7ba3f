import JournalStore

// MARK: - Lines of inquiry

extension LabJournal {
    /// Every branch, with the current one marked (even before its first commit).
    public func linesOfInquiry() throws -> [LineOfInquiry] {
        let current = try headBranch()
        var lines = try repository.references(matching: JournalLayout.branchPrefix + "*").map { reference -> LineOfInquiry in
            let name = String(reference.name.dropFirst(JournalLayout.branchPrefix.count))
            var line = LineOfInquiry(name: name, tip: try repository.commit(CommitID(reference.target)), isCurrent: name == current)
            line.hypothesisStatus = try hypothesis(onBranch: name)?.status
            return line
        }
        if !lines.contains(where: \.isCurrent) {
            lines.append(LineOfInquiry(name: current, tip: nil, isCurrent: true))
        }
        return lines.sorted { $0.name < $1.name }
    }

    /// Creates a branch at `start` (default: the current branch's tip).
    /// - Throws: `JournalError.branchExists`, `.invalidName`, or `.unknown` when there is nothing to branch from.
    public func createBranch(_ name: String, from start: String? = nil) throws -> LineOfInquiry {
        try RecordNames.validateBranch(name)
        let target: CommitID
        if let start {
            target = try resolveRevision(start)
        } else {
            let current = try currentBranch()
            guard let tip = try head(of: current) else {
                throw JournalError.unknown(kind: "commit on", name: current + " (commit something before branching)")
            }
            target = tip
        }
        try locked {
            do {
                try repository.updateReference(JournalLayout.branchReference(name), to: target.object, expecting: nil, message: "xj branch: created")
            } catch StoreError.referenceMoved {
                throw JournalError.branchExists(name)
            }
        }
        return LineOfInquiry(name: name, tip: try repository.commit(target), isCurrent: false)
    }

    /// Makes `name` the current line of inquiry. Each line keeps its own stage, so staged work stays
    /// with the line it was staged on.
    /// - Throws: `JournalError.unknown` when there is no such branch.
    public func switchBranch(to name: String) throws {
        try RecordNames.validateBranch(name)
        guard try head(of: name) != nil || (try headBranch()) == name else {
            let known = try repository.references(matching: JournalLayout.branchPrefix + "*").map { String($0.name.dropFirst(JournalLayout.branchPrefix.count)) }
            throw JournalError.unknownNamed(kind: "line of inquiry", name: name, hint: RecordNames.suggestion(for: name, among: known))
        }
        try locked {
            // The legacy single stage belongs to the line it was staged on: give it that line's ref first.
            let from = try headBranch()
            if let legacy = try repository.referenceTarget(JournalLayout.legacyStageReference),
               try repository.referenceTarget(JournalLayout.stageReference(from)) == nil {
                try repository.updateReference(JournalLayout.stageReference(from), to: legacy, expecting: nil, message: "xj switch: per-line stage")
                try repository.deleteReference(JournalLayout.legacyStageReference, expecting: legacy)
            }
            try repository.setHead(to: JournalLayout.branchReference(name))
        }
    }
}
