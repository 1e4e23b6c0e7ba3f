/// What one sanity check found: its code, status, a one-line explanation, and the numbers behind it.
public struct CheckFinding: Sendable, Equatable {
    public let code: String
    public let status: CheckStatus
    public let message: String
    /// The measured quantities the status was decided from (named as in Docs/Checks.md).
    public let values: [String: Double]

    public init(_ code: String, _ status: CheckStatus, _ message: String, values: [String: Double] = [:]) {
        precondition(CheckCatalog.entry(code) != nil, "unknown check code \(code)")
        self.code = code
        self.status = status
        self.message = message
        self.values = values
    }

    public var title: String { CheckCatalog.entry(code)!.title }
    public var stage: CheckStage { CheckCatalog.entry(code)!.stage }
}
