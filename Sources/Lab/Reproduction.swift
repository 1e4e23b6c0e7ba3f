import Foundation
import Journal

/// What running an experiment again gave, compared with the record.
public struct Reproduction: Sendable {
    public enum Outcome: String, Sendable {
        case bitIdentical = "bit-identical"
        case withinTolerance = "identical within tolerance"
        case diverged
    }

    /// One number compared: a metric, or the weights (their largest difference).
    public struct Difference: Sendable {
        public let name: String
        public let recorded: Double?
        public let reproduced: Double?
        /// |recorded − reproduced| (the largest over the weights); infinity when one side is missing or not finite.
        public let delta: Double

        public var json: JSONValue {
            func number(_ value: Double?) -> JSONValue { value.map { $0.isFinite ? .number($0) : .string("\($0)") } ?? .null }
            return ["name": .string(name), "recorded": number(recorded), "reproduced": number(reproduced), "max_abs_delta": number(delta)]
        }
    }

    public let original: ExperimentRecord
    public let reproduced: ExperimentRecord
    public let outcome: Outcome
    public let tolerance: Double
    /// Every metric (and `weights`), in name order.
    public let differences: [Difference]
    /// "blas.threads: 2 → 1", … for each fingerprint field that differs.
    public let environmentChanges: [String]
    /// A note when the reproduction ran with another trainer version (a different run key).
    public let trainerNote: String?

    /// The differences beyond the tolerance.
    public var beyondTolerance: [Difference] { differences.filter { !Self.within($0, tolerance) } }

    static func within(_ difference: Difference, _ tolerance: Double) -> Bool {
        guard difference.delta.isFinite else { return false }
        let scale = max(1, abs(difference.recorded ?? 0))
        return difference.delta <= tolerance * scale
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "experiment": .string(original.id.hex), "reproduction": .string(reproduced.id.hex), "outcome": .string(outcome.rawValue),
            "tolerance": .number(tolerance), "differences": .array(differences.map(\.json)),
            "environment_changes": .array(environmentChanges.map(JSONValue.string)),
        ]
        if let trainerNote { members["trainer"] = .string(trainerNote) }
        return .object(members)
    }
}
