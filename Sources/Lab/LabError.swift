import Journal

/// Failures of the lab layer, written for the terminal.
public enum LabError: Error, CustomStringConvertible, Equatable {
    /// A training parameter with a wrong type, range or choice.
    case invalidParameter(key: String, message: String)
    /// A key that is not a training parameter of this model.
    case unknownParameter(key: String, model: String, valid: [String])
    /// Data that cannot be trained on; the message names the dataset, row and column.
    case invalidData(String)
    /// A prediction names a metric or parameter that neither the trainer nor any experiment records.
    case unknownName(kind: String, name: String, prediction: String, nearest: String?)
    /// `--strict` and at least one check failed; one line per failure.
    case checksFailed([String])

    public var description: String {
        switch self {
        case let .invalidParameter(key, message):
            return "parameter `\(key)`: \(message)"
        case let .unknownParameter(key, model, valid):
            return "unknown parameter `\(key)` for model=\(model)" + (RecordNames.nearest(to: key, among: valid).map { " (did you mean `\($0)`?)" } ?? "") +
                "; valid: \(valid.joined(separator: ", "))"
        case let .unknownName(kind, name, prediction, nearest):
            return "prediction \(prediction.debugDescription): neither xj train nor any experiment here records the \(kind) `\(name)`" +
                (nearest.map { "; did you mean `\($0)`?" } ?? "")
        case let .invalidData(message):
            return message
        case let .checksFailed(failures):
            return "--strict: \(failures.count) check\(failures.count == 1 ? "" : "s") failed, nothing trained: " + failures.joined(separator: "; ")
        }
    }
}
