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

    /// The names of every line of inquiry (for "did you mean …?").
    public func branchNames() throws -> [String] {
        try repository.references(matching: JournalLayout.branchPrefix + "*").map { String($0.name.dropFirst(JournalLayout.branchPrefix.count)) }
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
            let known = try branchNames()
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

    /// Deletes a line of inquiry. Without `force`, refuses one whose commits are not all on another
    /// line (it would lose them from every branch) or that has staged work; never the line HEAD names.
    /// Its stage goes with it.
    public func deleteBranch(_ name: String, force: Bool) throws {
        try RecordNames.validateBranch(name)
        guard let tip = try head(of: name) else {
            let known = try branchNames()
            throw JournalError.unknownNamed(kind: "line of inquiry", name: name, hint: RecordNames.suggestion(for: name, among: known))
        }
        guard name != (try headBranch()) else {
            throw JournalError.invalidName(kind: "line of inquiry", name: name, reason: "is the current one; switch to another line first")
        }
        try locked {
            let stage = try repository.referenceTarget(JournalLayout.stageReference(name))
            if !force {
                let others = try repository.references(matching: JournalLayout.branchPrefix + "*").filter { $0.name != JournalLayout.branchReference(name) }
                guard try others.contains(where: { try repository.isAncestor(tip.object, of: $0.target) }) else {
                    throw JournalError.invalidName(kind: "line of inquiry", name: name,
                                                   reason: "has commits on no other line (\(tip.short)); xj branch -D \(name) deletes it anyway")
                }
                guard stage == nil else {
                    throw JournalError.invalidName(kind: "line of inquiry", name: name,
                                                   reason: "has staged work; commit it (xj commit --on \(name)) or delete with -D")
                }
            }
            try repository.deleteReference(JournalLayout.branchReference(name), expecting: tip.object)
            if let stage { try repository.deleteReference(JournalLayout.stageReference(name), expecting: stage) }
        }
    }

    /// Renames a line of inquiry, its stage with it; HEAD follows when it named the old one.
    public func renameBranch(_ old: String, to new: String) throws {
        try RecordNames.validateBranch(old)
        try RecordNames.validateBranch(new)
        guard let tip = try head(of: old) else { throw JournalError.unknown(kind: "line of inquiry", name: old) }
        try locked {
            do {
                try repository.updateReference(JournalLayout.branchReference(new), to: tip.object, expecting: nil, message: "xj branch -m \(old) \(new)")
            } catch StoreError.referenceMoved {
                throw JournalError.branchExists(new)
            }
            if let stage = try repository.referenceTarget(JournalLayout.stageReference(old)) {
                try repository.updateReference(JournalLayout.stageReference(new), to: stage, expecting: nil, message: "xj branch -m")
                try repository.deleteReference(JournalLayout.stageReference(old), expecting: stage)
            }
            if try headBranch() == old { try repository.setHead(to: JournalLayout.branchReference(new)) }
            try repository.deleteReference(JournalLayout.branchReference(old), expecting: tip.object)
        }
    }
}
