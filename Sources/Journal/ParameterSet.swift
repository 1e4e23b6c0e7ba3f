import Foundation

/// A named set of parameters: a JSON object stored as one canonical-JSON blob (`params/<name>`).
public struct ParameterSet: Hashable, Sendable {
    /// The parameters; values may be nested objects and lists.
    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    /// The bytes stored in the journal: canonical JSON (RFC 8785, NFC strings).
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(.object(values)) }

    /// Reads a `.json`, `.yaml` or `.yml` file whose top level is a mapping.
    /// - Throws: `JournalError.syntax` with line and column, or `.invalidParameter` for a value xj cannot record.
    public static func read(file path: String) throws -> ParameterSet {
        let bytes = try FileReading.contents(of: path)
        let name = (path as NSString).lastPathComponent
        guard !bytes.isEmpty else { throw JournalError.invalidDataset(source: name, location: nil, message: "the file is empty") }
        let value: JSONValue
        switch (path as NSString).pathExtension.lowercased() {
        case "json":
            value = try JSONParser.parse(bytes, source: name)
        case "yaml", "yml":
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
                throw JournalError.invalidDataset(source: name, location: nil, message: "not UTF-8 text")
            }
            value = try YAMLReader.parse(text, source: name)
        default:
            throw JournalError.unreadable(path: name, reason: "a parameter file must end in .json, .yaml or .yml")
        }
        guard let members = value.objectValue else {
            throw JournalError.invalidParameter(source: name, key: "(top level)", message: "must be a mapping of names to values")
        }
        for key in members.keys.sorted() { try validateKey(key, source: name) }
        return ParameterSet(members)
    }

    /// The longest parameter name accepted.
    public static let maximumKeyLength = 128

    /// A parameter name is a letter or `_`, then letters, digits, `_`, `-` or `.` (no `..`), at most
    /// `maximumKeyLength` characters: it is shown in tables, selected in predictions and passed to
    /// programs, so a path such as `../x` or a name of 10,000 characters is refused.
    public static func validateKey(_ key: String, source: String) throws {
        guard !key.isEmpty else { throw JournalError.invalidParameter(source: source, key: key, message: "a parameter needs a name") }
        let shown = key.count > 40 ? String(key.prefix(40)) + "…" : key
        guard key.count <= maximumKeyLength else {
            throw JournalError.invalidParameter(source: source, key: shown, message: "the name has \(key.count) characters; at most \(maximumKeyLength) are allowed")
        }
        let scalars = Array(key.unicodeScalars)
        let valid = (scalars[0].properties.isAlphabetic || scalars[0] == "_") &&
            scalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." } &&
            !key.contains("..")
        guard valid else {
            throw JournalError.invalidParameter(source: source, key: shown.debugDescription,
                                                message: "is not a parameter name (a letter or _, then letters, digits, _, - or .)")
        }
    }

    /// Parses `key=value` arguments. Values are typed: `true`/`false`, `null`, numbers (`1`, `1e-3`),
    /// lists `a,b,c` of typed items, `"quoted"` strings (`"null"`, `"1"` stay text), and anything else as a string.
    public static func parse(assignments: [String], source: String = "arguments") throws -> ParameterSet {
        var values: [String: JSONValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw JournalError.invalidParameter(source: source, key: assignment, message: "expected key=value")
            }
            let key = CanonicalJSON.normalize(String(assignment[..<equals]).trimmingCharacters(in: .whitespaces))
            let text = String(assignment[assignment.index(after: equals)...])
            try validateKey(key, source: source)
            guard values[key] == nil else {
                throw JournalError.invalidParameter(source: source, key: key, message: "given more than once")
            }
            values[key] = try typedValue(text, key: key, source: source)
        }
        return ParameterSet(values)
    }

    /// The typed reading of one `key=value` value.
    public static func typedValue(_ text: String, key: String, source: String = "arguments") throws -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") {
            return .string(String(trimmed.dropFirst().dropLast()))
        }
        if trimmed.contains(",") {
            return .array(try trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
                try scalarValue(String($0).trimmingCharacters(in: .whitespaces), key: key, source: source)
            })
        }
        return try scalarValue(trimmed, key: key, source: source)
    }

    private static func scalarValue(_ text: String, key: String, source: String) throws -> JSONValue {
        if text.isEmpty { throw JournalError.invalidParameter(source: source, key: key, message: "has no value") }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text == "null" { return .null }
        if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            guard number.isFinite else {
                throw JournalError.invalidParameter(source: source, key: key, message: "\(text) is not a finite number")
            }
            return .number(number)
        }
        if ["nan", "inf", "infinity", "-inf", "-infinity", "+inf"].contains(text.lowercased()) {
            throw JournalError.invalidParameter(source: source, key: key, message: "\(text) is not a finite number; NaN and infinity cannot be recorded")
        }
        return .string(text)
    }
}
