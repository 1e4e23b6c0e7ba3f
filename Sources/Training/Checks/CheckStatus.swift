/// The outcome of one sanity check.
public enum CheckStatus: String, Sendable, CaseIterable, Comparable {
    case pass
    /// Worth knowing; the run may still be sound (or xj's procedure already compensates).
    case warning = "warn"
    /// Likely to make the run wrong or wasteful; `xj train --strict` refuses to train.
    case failure = "fail"
    /// The check has nothing to look at for this model or data (the finding says why).
    case notApplicable = "n/a"

    private var rank: Int {
        switch self {
        case .notApplicable: return 0
        case .pass: return 1
        case .warning: return 2
        case .failure: return 3
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.rank < rhs.rank }
}
