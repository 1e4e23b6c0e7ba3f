/// What `xj show` found for a name: a commit, a dataset, a parameter set or an experiment.
public enum ShownObject: Sendable {
    case record(JournalRecord)
    case dataset(DatasetRecord)
    case parameterSet(ParameterSetRecord)
    case experiment(ExperimentRecord)

    public var json: JSONValue {
        switch self {
        case let .record(record):
            var members = record.json.objectValue ?? [:]
            members["kind"] = "commit"
            return .object(members)
        case let .dataset(dataset): return dataset.json
        case let .parameterSet(parameters): return parameters.json
        case let .experiment(experiment): return experiment.json
        }
    }
}
