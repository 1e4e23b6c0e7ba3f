import Journal

/// The training core's identity, stored as `inputs/trainer.json`. Bump `version` whenever a change
/// to the Training module can change what a run computes, so old results are not taken as re-runs.
public enum TrainerVersion {
    public static let name = "xj-train"
    public static let version = 1

    public static var json: JSONValue { ["name": .string(name), "version": .number(Double(version))] }
}
