import JournalStore

// MARK: - Lines of inquiry

extension LabJournal {
    /// Every branch, with the current one marked (even before its first commit).
    public func linesOfInquiry() throws -> [LineOfInquiry] {
        let current = try currentBranch()
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

    /// Makes `name` the current line of inquiry. The stage stays as it is, as git's index does.
    /// - Throws: `JournalError.unknown` when there is no such branch.
    public func switchBranch(to name: String) throws {
        try RecordNames.validateBranch(name)
        guard try head(of: name) != nil || (try currentBranch()) == name else {
            throw JournalError.unknown(kind: "line of inquiry", name: name)
        }
        try locked { try repository.setHead(to: JournalLayout.branchReference(name)) }
    }
}
