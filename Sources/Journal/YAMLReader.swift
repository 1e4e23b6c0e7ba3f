import Yams

/// Reads a YAML parameter file into a `JSONValue` through Yams (libyaml), with the same rules
/// as JSON: no duplicate keys, no NaN or infinity, errors with line and column.
public enum YAMLReader {
    public static func parse(_ text: String, source: String) throws -> JSONValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Resolver.basic.appending(.bool).appending(.int).appending(.float).appending(.null))
        } catch let error as YamlError {
            throw translate(error, source: source)
        }
        guard let root else { return .null }
        return try convert(root, source: source)
    }

    private static func convert(_ node: Node, source: String) throws -> JSONValue {
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        switch node {
        case let .mapping(mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case let .scalar(scalar) = key else {
                    throw JournalError.syntax(source: source, line: key.mark?.line ?? line, column: key.mark?.column ?? column, message: "a key must be a plain value")
                }
                let name = CanonicalJSON.normalize(scalar.string)
                if members[name] != nil {
                    throw JournalError.syntax(source: source, line: key.mark?.line ?? line, column: key.mark?.column ?? column, message: "duplicate key \(name.debugDescription)")
                }
                members[name] = try convert(value, source: source)
            }
            return .object(members)
        case let .sequence(sequence):
            return .array(try sequence.map { try convert($0, source: source) })
        case let .scalar(scalar):
            switch node.tag.description {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return .bool(node.bool ?? false)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
                    throw JournalError.syntax(source: source, line: line, column: column, message: "\(scalar.string) is not a finite number; NaN and infinity cannot be recorded")
                }
                return .number(value)
            default:
                return .string(scalar.string)
            }
        }
    }

    private static func translate(_ error: YamlError, source: String) -> JournalError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .syntax(source: source, line: mark.line, column: mark.column, message: problem)
        case let .reader(problem, offset, _, _):
            return .invalidDataset(source: source, location: offset.map { "byte \($0)" }, message: problem)
        default:
            return .syntax(source: source, line: 0, column: 0, message: "\(error)")
        }
    }
}
