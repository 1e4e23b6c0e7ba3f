/// Failures of the object store. The description is the line a user reads after `xj: error:`.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// A libgit2 call returned a negative status.
    case libgit2(operation: String, code: Int32, message: String)
    /// No journal (bare git repository) at the path.
    case notARepository(path: String)
    /// `create` found a repository already there.
    case alreadyExists(path: String)
    /// No object with this id or prefix.
    case objectNotFound(String)
    /// A prefix matches more than one object.
    case ambiguousPrefix(String)
    /// The object exists but has another type than asked for.
    case wrongObjectType(id: String, expected: String, actual: String)
    /// A compare-and-swap ref update found the ref somewhere else.
    case referenceMoved(name: String)
    /// A push found the remote's ref at commits this repository does not have (or it moved during the push).
    case remoteAhead(reference: String)
    /// A revision in a form xj does not read (the reflog's `@{…}`).
    case unsupportedRevision(String)
    /// Another writer holds the ref's lock file (`<ref>.lock`) in the repository at `repository`.
    case referenceLocked(name: String, repository: String)
    /// A ref name that git would refuse.
    case invalidReferenceName(String)
    /// A tree edit names a path that cannot exist in a git tree.
    case invalidPath(String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)
    /// A streamed blob did not have the size announced for it.
    case sizeMismatch(path: String, expected: UInt64, actual: UInt64)
    /// A transfer over git's own protocol failed: the connection, or what the server sent.
    case network(url: String, problem: String)

    public var description: String {
        switch self {
        case let .libgit2(operation, code, message):
            // libgit2 quotes names in its messages: an error line stays short whatever it was given.
            let shown = message.count > 300 ? String(message.prefix(300)) + "…" : message
            return "git object store: \(shown) (\(operation) returned \(code))"
        case let .notARepository(path):
            return "no journal at \(path)"
        case let .alreadyExists(path):
            return "a journal already exists at \(path)"
        case let .objectNotFound(what):
            return "no object \(what) in the journal"
        case let .ambiguousPrefix(prefix):
            return "the id prefix \(prefix) matches more than one object; give more digits"
        case let .wrongObjectType(id, expected, actual):
            return "object \(id) is a \(actual), not a \(expected)"
        case let .referenceMoved(name):
            return "\(name) was changed by another process; try again"
        case let .remoteAhead(reference):
            return "the remote's \(reference) has commits you do not have; run xj pull, then push"
        case let .unsupportedRevision(revision):
            return "\(String(revision.prefix(100)).debugDescription): reflog revisions (@{…}) are not supported; name a branch, a commit id, or use main~2"
        case let .referenceLocked(name, repository):
            return "\(name) in \(repository) is being updated by another process (\(name).lock exists); try again, or remove that file if no git or xj process is running"
        case let .invalidReferenceName(name):
            return "\(name.debugDescription) is not a valid ref name"
        case let .invalidPath(path):
            return "\(path.debugDescription) is not a valid path inside a git tree"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .sizeMismatch(path, expected, actual):
            return "\(path) changed while it was read: expected \(expected) bytes, read \(actual)"
        case let .network(url, problem):
            return "\(url): \(problem.count > 300 ? String(problem.prefix(300)) + "…" : problem)"
        }
    }
}
