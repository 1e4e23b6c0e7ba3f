import CGit2

/// The kinds of git object xj reads and writes.
public enum ObjectKind: String, Sendable {
    case blob, tree, commit, tag

    init?(_ type: git_object_t) {
        switch type {
        case GIT_OBJECT_BLOB: self = .blob
        case GIT_OBJECT_TREE: self = .tree
        case GIT_OBJECT_COMMIT: self = .commit
        case GIT_OBJECT_TAG: self = .tag
        default: return nil
        }
    }

    var gitType: git_object_t {
        switch self {
        case .blob: return GIT_OBJECT_BLOB
        case .tree: return GIT_OBJECT_TREE
        case .commit: return GIT_OBJECT_COMMIT
        case .tag: return GIT_OBJECT_TAG
        }
    }
}
