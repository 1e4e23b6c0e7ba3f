import Foundation
import JournalStore

/// One experiment in the run index: its run key, id, where it is recorded, when it ran, and its headline metrics.
public struct RunIndexEntry: Hashable, Sendable {
    public let runKey: ObjectID
    public let experiment: ObjectID
    /// Seconds since 1970 of `run.json`'s `started`.
    public let started: Double
    /// `val_loss` (NaN when absent).
    public let validationLoss: Double
    /// `val_accuracy`, or `val_r2` for regression (NaN when absent).
    public let validationScore: Double
    /// Whether `validationScore` is `val_r2` (regression) rather than `val_accuracy`.
    public let scoreIsR2: Bool
    /// Refs whose tree holds it: `refs/heads/main`, `refs/remotes/origin/main`, `refs/xj/stage`.
    public var references: [String]

    /// `main`, `origin/main` or `stage`, for messages.
    public static func shortName(_ reference: String) -> String {
        if reference == JournalLayout.legacyStageReference { return "the stage" }
        if reference.hasPrefix(JournalLayout.stagePrefix) { return "the stage of " + reference.dropFirst(JournalLayout.stagePrefix.count) }
        for prefix in [JournalLayout.branchPrefix, "refs/remotes/"] where reference.hasPrefix(prefix) {
            return String(reference.dropFirst(prefix.count))
        }
        return reference
    }

    /// `val_accuracy` or `val_r2`.
    public var scoreName: String { scoreIsR2 ? "val_r2" : "val_accuracy" }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "run_key": .string(runKey.hex), "experiment": .string(experiment.hex),
            "refs": .array(references.map { .string(Self.shortName($0)) }),
        ]
        if started > 0 {
            let formatter = ISO8601DateFormatter()
            members["started"] = .string(formatter.string(from: Date(timeIntervalSince1970: started)))
        }
        if !validationLoss.isNaN { members["val_loss"] = .number(validationLoss) }
        if !validationScore.isNaN { members[scoreName] = .number(validationScore) }
        return .object(members)
    }
}
