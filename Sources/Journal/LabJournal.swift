import Foundation
import JournalStore

/// An open journal: a `.journal` bare git repository and the records xj keeps in it.
///
/// Commands reach datasets, parameter sets, the stage, history and branches through it.
/// Every multi-step update runs under the `JournalLock` and ends with a compare-and-swap ref update,
/// so two processes never lose each other's records and a killed one leaves only unreferenced objects.
public final class LabJournal {
    public let repository: GitRepository

    /// Experiments the run index listed whose objects turned out missing or corrupt, found by
    /// `RunIndex.recordedExperiments`; a command tells the user after its work (`xj fsck` says more).
    public internal(set) var damagedExperiments: [RunIndexEntry] = []

    /// The line of inquiry this process works on, fixed when the command starts (or by `--on`), so a
    /// long command records on the line that was current when it began even if another terminal
    /// runs `xj switch` meanwhile.
    private var pinnedBranch: String?

    init(repository: GitRepository) {
        self.repository = repository
    }

    /// The `.journal` folder.
    public var path: String { repository.path }

    /// Creates `<directory>/.journal` with HEAD on `main`.
    /// - Throws: `JournalError.journalExists` when there is one already.
    public static func create(in directory: String) throws -> LabJournal {
        let journalPath = (directory as NSString).appendingPathComponent(JournalLayout.directoryName)
        let repository: GitRepository
        do {
            repository = try GitRepository.create(at: journalPath, initialBranch: JournalLayout.defaultBranch)
        } catch StoreError.alreadyExists(let path) {
            throw JournalError.journalExists(path: path)
        }
        // The lock file and the temporary folder exist from the start, so that a command that
        // fails later changes no file at all.
        _ = try JournalLock(repository: repository)
        _ = try repository.privateDirectory("tmp")
        return LabJournal(repository: repository)
    }

    /// Opens the journal as git finds `.git`: `explicit` (a `.journal` folder or the folder holding one)
    /// when given, else the first `.journal` in `start` or a parent folder.
    public static func locate(explicit: String?, from start: String) throws -> LabJournal {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: URL(fileURLWithPath: start)).standardizedFileURL
            for candidate in [url.appendingPathComponent(JournalLayout.directoryName).path, url.path]
            where FileManager.default.fileExists(atPath: candidate + "/HEAD") {
                return LabJournal(repository: try GitRepository.open(at: candidate))
            }
            throw JournalError.notInJournal(start: url.path)
        }
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(JournalLayout.directoryName).path
            if FileManager.default.fileExists(atPath: candidate + "/HEAD") {
                return LabJournal(repository: try GitRepository.open(at: candidate))
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { throw JournalError.notInJournal(start: start) }
            folder = parent
        }
    }

    /// Runs a multi-step update under the journal lock.
    func locked<T>(_ body: () throws -> T) throws -> T {
        try JournalLock.withLock(repository, body)
    }

    // MARK: - Branch and state

    /// The name of the current line of inquiry (HEAD's branch), which may have no commit yet.
    public func currentBranch() throws -> String {
        if let pinnedBranch { return pinnedBranch }
        return try headBranch()
    }

    /// The line of inquiry HEAD names now (what `xj switch` changes), whatever this process pinned.
    public func headBranch() throws -> String {
        let name = try repository.headReferenceName()
        return name.hasPrefix(JournalLayout.branchPrefix) ? String(name.dropFirst(JournalLayout.branchPrefix.count)) : name
    }

    /// Fixes the line of inquiry this process reads and records on: `name` (which must exist, or be
    /// HEAD's line before its first commit), or HEAD's line now.
    /// - Throws: `JournalError.unknown` for a line that does not exist.
    public func pinLineOfInquiry(_ name: String? = nil) throws {
        guard let name else {
            // A broken HEAD is for `xj fsck` to report; commands that need the line fail when they ask.
            pinnedBranch = try? headBranch()
            return
        }
        try RecordNames.validateBranch(name)
        guard try head(of: name) != nil || (try headBranch()) == name else {
            let known = try branchNames()
            throw JournalError.unknownNamed(kind: "line of inquiry", name: name, hint: RecordNames.suggestion(for: name, among: known))
        }
        pinnedBranch = name
    }

    /// The commit at the tip of a branch, nil for a branch with no commit yet.
    public func head(of branch: String) throws -> CommitID? {
        try repository.referenceTarget(JournalLayout.branchReference(branch)).map(CommitID.init)
    }

    /// The journal-state tree of the current branch's tip, nil before the first commit.
    public func committedState() throws -> TreeID? {
        try head(of: try currentBranch()).map { try repository.commit($0).tree }
    }

    /// The committed state with the stage laid over it: what the next commit would record.
    public func workingState() throws -> TreeID? {
        let committed = try committedState()
        guard let staged = try stagedTree() else { return committed }
        return try repository.overlay(staged, on: committed)
    }
}
