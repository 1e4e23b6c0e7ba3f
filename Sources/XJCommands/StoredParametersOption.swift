import ArgumentParser
import Journal

/// `--params NAME`: start from a parameter set stored with `xj add`; key=value arguments override it.
struct StoredParametersOption: ParsableArguments {
    @Option(name: .customLong("params"), help: ArgumentHelp("Start from this stored parameter set (xj add --name NAME …); key=value arguments override its values.", valueName: "name"), completion: NameCompletion.parameterSets)
    var name: String?

    /// The stored set's values with `given` laid over them (`given` alone without --params).
    func merged(_ journal: LabJournal, _ given: [String: JSONValue]) throws -> [String: JSONValue] {
        guard let name else { return given }
        return try journal.parameterSet(named: name).parameters.values.merging(given) { _, override in override }
    }

    /// For a sweep: the stored values as one-value `key=spec` arguments, for every key the sweep's own
    /// arguments do not give, followed by those arguments.
    func gridAssignments(_ journal: LabJournal, _ assignments: [String]) throws -> [String] {
        guard let name else { return assignments }
        let given = Set(assignments.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        var fixed: [String] = []
        for (key, value) in try journal.parameterSet(named: name).parameters.values.sorted(by: { $0.key < $1.key }) where !given.contains(key) {
            fixed.append(key + "=" + (try Self.spec(value, key: key, name: name)))
        }
        return fixed + assignments
    }

    /// A stored value as a sweep reads a single value: a list as `a/b/c`, text quoted.
    static func spec(_ value: JSONValue, key: String, name: String) throws -> String {
        func scalar(_ value: JSONValue) throws -> String {
            switch value {
            case let .string(text):
                guard !text.contains(where: { ",/\"".contains($0) }) else {
                    throw CommandFailure(message: "params \(name): `\(key)` holds \(text.debugDescription), which a sweep cannot take as one value; give \(key)=… yourself")
                }
                return "\"" + text + "\""
            case .number, .bool: return value.displayText
            default: throw CommandFailure(message: "params \(name): `\(key)` holds \(value.displayText), which a sweep cannot take as one value; give \(key)=… yourself")
            }
        }
        if case let .array(items) = value {
            if items.count == 1 { return try scalar(items[0]) }
            return try items.map(scalar).joined(separator: "/")
        }
        return try scalar(value)
    }
}
