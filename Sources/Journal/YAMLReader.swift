import Yams

/// Reads a YAML parameter file into a `JSONValue` through Yams (libyaml), with the same rules
/// as JSON: no duplicate keys, no NaN or infinity, errors with line and column. Nesting is bounded
/// like JSON's (checked before libyaml and Yams, whose composer recurses), and so is the number of
/// values after aliases are expanded, so a "billion laughs" file is refused instead of filling memory.
public enum YAMLReader {
    /// At most this many values (scalars, lists and mappings, aliases counted each time they are used).
    public static let maximumValues = 100_000

    public static func parse(_ text: String, source: String) throws -> JSONValue {
        try checkNesting(text, source: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Resolver.basic.appending(.bool).appending(.int).appending(.float).appending(.null))
        } catch let error as YamlError {
            throw translate(error, source: source)
        }
        guard let root else { return .null }
        var budget = maximumValues
        return try convert(root, source: source, budget: &budget)
    }

    /// Refuses text nested deeper than `JSONParser.maximumDepth`, by a bound that needs no parse: on any
    /// line the depth is at most its indentation plus its `- ` markers plus the open `[`/`{` brackets.
    static func checkNesting(_ text: String, source: String) throws {
        var brackets = 0
        var line = 1
        var column = 0
        var indentation = 0
        var markers = 0
        var atLineStart = true
        var quote: UInt8? = nil
        var comment = false
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 0
                indentation = 0
                markers = 0
                atLineStart = true
                comment = false
                if quote == UInt8(ascii: "'") { quote = nil }
                continue
            }
            if comment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if atLineStart {
                if byte == 0x20 { indentation += 1; continue }
                if byte == UInt8(ascii: "-") { markers += 1; continue }
                atLineStart = false
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#"): comment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): brackets += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): brackets = max(0, brackets - 1)
            default: break
            }
            if indentation + markers + brackets > JSONParser.maximumDepth {
                throw JournalError.syntax(source: source, line: line, column: column, message: "nested more than \(JSONParser.maximumDepth) levels deep")
            }
        }
    }

    private static func convert(_ node: Node, source: String, budget: inout Int) throws -> JSONValue {
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        budget -= 1
        guard budget >= 0 else {
            throw JournalError.syntax(source: source, line: line, column: column,
                                      message: "expands to more than \(maximumValues) values (aliases repeating aliases?); a parameter file is refused beyond that")
        }
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
                members[name] = try convert(value, source: source, budget: &budget)
            }
            return .object(members)
        case let .sequence(sequence):
            return .array(try sequence.map { try convert($0, source: source, budget: &budget) })
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
