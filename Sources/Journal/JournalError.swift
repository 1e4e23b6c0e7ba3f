/// Failures of the journal layer. The description is the one line a user reads after `xj: error:`.
public enum JournalError: Error, CustomStringConvertible, Equatable {
    public static func == (lhs: JournalError, rhs: JournalError) -> Bool { lhs.description == rhs.description }

    /// No `.journal` here or in any parent folder.
    case notInJournal(start: String)
    /// `xj init` where a journal already exists.
    case journalExists(path: String)
    /// A JSON or YAML file that does not parse: where and why.
    case syntax(source: String, line: Int, column: Int, message: String)
    /// A parameter set with a bad key or value.
    case invalidParameter(source: String, key: String, message: String)
    /// A dataset file that cannot be read as a dataset; `location` is e.g. "line 12" or "line 12, column `x`".
    case invalidDataset(source: String, location: String?, message: String)
    /// A name (dataset, parameter set, branch) that cannot be used.
    case invalidName(kind: String, name: String, reason: String)
    /// `xj commit` with nothing staged.
    case nothingStaged
    /// A revision, id or name that resolves to nothing.
    case unknown(kind: String, name: String)
    /// As `unknown`, with a hint such as "did you mean …?" after the quoted name.
    case unknownNamed(kind: String, name: String, hint: String)
    /// A branch that exists already.
    case branchExists(String)
    /// A file that cannot be read.
    case unreadable(path: String, reason: String)
    /// A record in the journal that does not follow FORMAT.md.
    case malformedRecord(path: String, message: String)
    /// A prediction that does not parse; `column` is 1-based.
    case predictionSyntax(text: String, column: Int, message: String)
    /// An `xj runs --where` or `--sort` expression that does not parse; `column` is 1-based.
    case filterSyntax(option: String, text: String, column: Int, message: String)
    /// `xj verdict` on a branch without a hypothesis.
    case noHypothesis(branch: String)
    /// A push refused because the remote's branch has commits this journal does not have.
    case remoteAhead(remote: String, branch: String)
    /// A push that found the remote's branch locked by another push at that moment.
    case remoteBusy(remote: String, branch: String, lock: String)
    /// A fetch, pull or clone that brought records xj refuses; nothing moved.
    case hostileRemote(remote: String, problem: String, more: Int)
    /// A pull whose two sides changed the same paths differently: (path, ours, theirs).
    case mergeConflict([(String, String, String)])

    /// A name as an error line shows it: quoted, and cut to 60 characters when longer.
    static func shown(_ name: String) -> String {
        name.count > 100 ? String(name.prefix(60)).debugDescription + "… (\(name.count) characters)" : name.debugDescription
    }

    public var description: String {
        switch self {
        case let .notInJournal(start):
            return "not inside a journal (no .journal in \(start) or any parent folder); run `xj init` first or pass --journal PATH"
        case let .journalExists(path):
            return "a journal already exists at \(path)"
        case let .syntax(source, line, column, message):
            return "\(source) line \(line), column \(column): \(message)"
        case let .invalidParameter(source, key, message):
            return "\(source): parameter `\(key)`: \(message)"
        case let .invalidDataset(source, location, message):
            return location.map { "\(source) \($0): \(message)" } ?? "\(source): \(message)"
        case let .invalidName(kind, name, reason):
            return "\(kind) name \(Self.shown(name)) \(reason)"
        case .nothingStaged:
            return "nothing staged to commit (use `xj add`, or `xj commit --allow-empty` for a note)"
        case let .unknown(kind, name):
            return "no \(kind) \(Self.shown(name)) in the journal"
        case let .unknownNamed(kind, name, hint):
            return "no \(kind) \(Self.shown(name)) in the journal\(hint)"
        case let .branchExists(name):
            return "a line of inquiry named \(name.debugDescription) already exists"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .malformedRecord(path, message):
            return "\(path): \(message)"
        case let .filterSyntax(option, text, column, message):
            let rest = String(text.dropFirst(max(0, column - 1)).prefix(30))
            return "\(option) \(text.debugDescription), column \(column)" + (rest.isEmpty ? " (at the end)" : " (at \(rest.debugDescription))") + ": \(message)"
        case let .predictionSyntax(text, column, message):
            // One line: the prediction, then where in it, shown by the text from that column on.
            let rest = String(text.dropFirst(max(0, column - 1)).prefix(30))
            return "prediction \(text.debugDescription), column \(column)" + (rest.isEmpty ? " (at the end)" : " (at \(rest.debugDescription))") + ": \(message)"
        case let .mergeConflict(conflicts):
            return "cannot merge: both sides changed " + conflicts.map { "\($0.0) (local \($0.1), remote \($0.2))" }.joined(separator: "; ") +
                "; the local branch is unchanged"
        case let .remoteAhead(remote, branch):
            return "\(remote)/\(branch) has commits you do not have; run xj pull, then push (or xj push --retry)"
        case let .remoteBusy(remote, branch, lock):
            return "\(remote)/\(branch) is being updated by another push; try again (xj push --retry waits), or remove \(lock) if no push is running"
        case let .hostileRemote(remote, problem, more):
            return "\(remote) sent records xj refuses, so nothing was taken from it: \(problem)" + (more > 0 ? " (and \(more) more problem\(more == 1 ? "" : "s"))" : "")
        case let .noHypothesis(branch):
            return "the line of inquiry \(branch) states no hypothesis; start one with `xj hypothesis new NAME \"statement\" --predict …`"
        }
    }
}
