import Foundation
import JournalStore

// MARK: - Tags and notes on experiments

extension LabJournal {
    /// Adds and removes tags on an experiment and commits the change on the current line of
    /// inquiry (nothing staged is touched). Tags live at `tags/<experiment id>/<tag>` in the journal
    /// state, so they travel with push and pull like every other record.
    /// - Returns: the new commit, or nil when nothing changed (every tag already there or absent).
    /// - Throws: `JournalError.invalidName` for a tag no record may be named.
    @discardableResult
    public func tag(experiment: ObjectID, adding added: [String], removing removed: [String]) throws -> CommitID? {
        for name in added + removed { try RecordNames.validate(name, kind: "tag") }
        let folder = JournalLayout.tags + "/" + experiment.hex + "/"
        let empty = try repository.writeBlob([])
        var edits: [String: TreeEntry?] = [:]
        for name in removed { edits[folder + name] = .some(nil) }
        for name in added { edits[folder + name] = TreeEntry.blob(name, empty) }
        let summary = (added.isEmpty ? "" : "tag \(experiment.short): " + added.joined(separator: ", "))
            + (removed.isEmpty ? "" : (added.isEmpty ? "" : "; ") + "untag \(experiment.short): " + removed.joined(separator: ", "))
        return try commitAnnotation(edits, message: summary)
    }

    /// Sets (or with nil removes) an experiment's note and commits the change on the current line.
    /// - Returns: the new commit, or nil when the note was already so.
    @discardableResult
    public func setNote(experiment: ObjectID, _ text: String?) throws -> CommitID? {
        let path = JournalLayout.notes + "/" + experiment.hex
        var entry: TreeEntry? = nil
        if let text {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw JournalError.invalidName(kind: "note", name: text, reason: "is empty; xj note -d removes a note") }
            guard trimmed.utf8.count <= 65_536 else { throw JournalError.invalidName(kind: "note", name: trimmed, reason: "is longer than 64 KiB") }
            entry = TreeEntry.blob(experiment.hex, try repository.writeBlob(Array((trimmed + "\n").utf8)))
        }
        return try commitAnnotation([path: entry], message: text == nil ? "remove the note on \(experiment.short)" : "note on \(experiment.short)")
    }

    /// Commits `edits` on top of the current line's tip, under the lock, by compare-and-swap.
    private func commitAnnotation(_ edits: [String: TreeEntry?], message: String) throws -> CommitID? {
        try locked {
            let branch = try currentBranch()
            let reference = JournalLayout.branchReference(branch)
            let parent = try head(of: branch)
            let base = try parent.map { try repository.commit($0).tree }
            let tree = try repository.editTree(base, edits)
            guard tree != base else { return nil }
            let recorded = try changes(from: base, to: tree)
            let full = message + "\n\n" + JournalRecord.trailerPrefix + JournalRecord.summary(recorded) + "\n"
            let commit = try repository.writeCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: full, author: repository.defaultSignature())
            repository.removeStaleReferenceLock(reference)
            try repository.updateReference(reference, to: commit.object, expecting: parent?.object, message: "xj " + message)
            return commit
        }
    }

    /// The tags of every experiment tagged in a journal-state tree, sorted by name.
    public func tags(in state: TreeID) throws -> [ObjectID: [String]] {
        guard let folder = try repository.entry(at: JournalLayout.tags, in: state), folder.kind == .tree else { return [:] }
        var found: [ObjectID: [String]] = [:]
        for entry in try repository.tree(TreeID(folder.id)) where entry.kind == .tree {
            guard let id = ObjectID(hex: entry.name) else { continue }
            found[id] = try repository.tree(TreeID(entry.id)).filter { $0.kind == .blob }.map(\.name).sorted()
        }
        return found
    }

    /// The note of every experiment with one in a journal-state tree.
    public func notes(in state: TreeID) throws -> [ObjectID: String] {
        guard let folder = try repository.entry(at: JournalLayout.notes, in: state), folder.kind == .tree else { return [:] }
        var found: [ObjectID: String] = [:]
        for entry in try repository.tree(TreeID(folder.id)) where entry.kind == .blob {
            guard let id = ObjectID(hex: entry.name) else { continue }
            found[id] = String(decoding: try repository.blob(BlobID(entry.id)), as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return found
    }
}
