import JournalStore

/// What differs between two revisions of the journal (`xj diff A B`).
public struct JournalDiff: Sendable {
    public let from: CommitID
    public let to: CommitID
    /// Datasets and parameter sets, with key-by-key differences.
    public let records: [RecordDifference]
    /// Records other than datasets, parameter sets and experiments, by path.
    public let others: [RecordChange]
    /// Experiments only in `from` (removed) or only in `to` (added).
    public let removedExperiments: [ExperimentRecord]
    public let addedExperiments: [ExperimentRecord]
    /// Experiments of the two sides with equal parameters but different run keys (another dataset or
    /// trainer version), paired with their differences.
    public let matchedByParameters: [ExperimentDiff]

    public var isEmpty: Bool { records.isEmpty && others.isEmpty && removedExperiments.isEmpty && addedExperiments.isEmpty }

    public var json: JSONValue {
        .object([
            "from": .string(from.hex), "to": .string(to.hex),
            "records": .array(records.map(\.json)),
            "others": .array(others.map(\.json)),
            "experiments_added": .array(addedExperiments.map(Self.summary)),
            "experiments_removed": .array(removedExperiments.map(Self.summary)),
            "experiments_matched_by_params": .array(matchedByParameters.map(\.json)),
        ])
    }

    static func summary(_ experiment: ExperimentRecord) -> JSONValue {
        ["experiment": .string(experiment.id.hex), "run_key": .string(experiment.runKey.hex),
         "params": .object(experiment.params), "metrics": .object(experiment.metrics)]
    }
}
