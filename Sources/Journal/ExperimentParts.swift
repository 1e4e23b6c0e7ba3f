/// The optional parts of an experiment record to read. A verdict over 100,000 experiments needs
/// their parameters, metrics and status, not their curves or checks, and parsing those is most of the
/// cost of reading a record.
public struct ExperimentParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `results/curves.json`.
    public static let curves = ExperimentParts(rawValue: 1 << 0)
    /// `results/checks.json`.
    public static let checks = ExperimentParts(rawValue: 1 << 1)
    /// `results/params.json` (what an `xj run` program reported).
    public static let reportedParameters = ExperimentParts(rawValue: 1 << 2)

    public static let all: ExperimentParts = [.curves, .checks, .reportedParameters]
    /// What `VerdictEvaluator` reads: parameters, metrics, `run.json`, dataset and command only.
    public static let forVerdict: ExperimentParts = []
}
