/// `manifest.json` of a dataset tree: the shape, columns, label and statistics of the data,
/// computed in the same streaming pass that stores the bytes (FORMAT.md, "Dataset").
public struct DatasetManifest: Hashable, Sendable {
    /// The manifest's own version; readers refuse a newer one.
    public static let formatVersion = 1
    /// Distinct values tracked per categorical column, and for a numeric label.
    public static let distinctLimit = 1000
    /// A numeric label with at most this many distinct integer values is a class label.
    public static let classLimit = 100

    public enum Format: String, Sendable {
        case csv, npy
        /// A UTF-8 text corpus for a character-level language model (`xj add corpus.txt --text`).
        case text
        /// The name of the data blob inside the dataset tree.
        public var fileName: String { self == .text ? "data.txt" : "data." + rawValue }
    }

    public enum Task: String, Sendable { case classification, regression }

    public var format: Format
    public var rows: Int
    public var bytes: UInt64
    public var columns: [ColumnSummary]
    public var label: String
    public var task: Task
    /// Class labels in order (numbers or strings), for classification.
    public var classes: [JSONValue]
    /// The element type of an `.npy` file (`<f4`…); nil for CSV.
    public var dtype: String?
    /// The task was chosen with `xj add --task` rather than decided from the label's values (a
    /// numeric label with few integer values, such as wine quality scores, read as regression).
    public var taskChosen = false
    /// A text corpus: its length in characters (Unicode scalars; `classes` is its vocabulary).
    public var characters: Int?
    /// A text corpus: the share of its characters, from the start, that training uses; the rest is
    /// the validation text (`xj add --split`).
    public var trainFraction: Double?

    public var labelIndex: Int? { columns.firstIndex { $0.name == label } }

    /// Reads a numeric label as regression whatever its values (`xj add --task regression`).
    /// - Throws: `JournalError.invalidDataset` for a categorical label.
    public mutating func chooseRegression(source: String) throws {
        guard let index = labelIndex, columns[index].kind == .numeric else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "--task regression needs a numeric label, and `\(label)` is categorical")
        }
        task = .regression
        classes = []
        taskChosen = true
    }

    /// The canonical JSON value stored as `manifest.json`.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "xj_manifest": .number(Double(Self.formatVersion)),
            "format": .string(format.rawValue),
            "rows": .number(Double(rows)),
            "bytes": .number(Double(bytes)),
            "columns": .array(columns.map(\.json)),
            "label": .string(label),
            "task": .string(task.rawValue),
            "classes": .array(classes),
        ]
        if let dtype { members["dtype"] = .string(dtype) }
        if taskChosen { members["task_chosen"] = true }
        if let characters { members["characters"] = .number(Double(characters)) }
        if let trainFraction { members["split"] = .number(trainFraction) }
        return .object(members)
    }

    public init(format: Format, rows: Int, bytes: UInt64, columns: [ColumnSummary], label: String, task: Task, classes: [JSONValue], dtype: String?) {
        self.format = format
        self.rows = rows
        self.bytes = bytes
        self.columns = columns
        self.label = label
        self.task = task
        self.classes = classes
        self.dtype = dtype
    }

    /// Reads a stored manifest. - Throws: `JournalError.malformedRecord` naming `source` when a field is missing or wrong.
    public init(json: JSONValue, source: String) throws {
        func field<T>(_ key: String, _ read: (JSONValue) -> T?) throws -> T {
            guard let value = json[key], let typed = read(value) else {
                throw JournalError.malformedRecord(path: source, message: "manifest field `\(key)` is missing or has the wrong type")
            }
            return typed
        }
        let version = try field("xj_manifest", \.numberValue)
        guard version <= Double(Self.formatVersion) else {
            throw JournalError.malformedRecord(path: source, message: "manifest version \(version) is newer than this xj understands")
        }
        format = try field("format") { $0.stringValue.flatMap(Format.init(rawValue:)) }
        rows = Int(try field("rows", \.numberValue))
        bytes = UInt64(try field("bytes", \.numberValue))
        columns = try field("columns", \.arrayValue).map { try ColumnSummary(json: $0, source: source) }
        label = try field("label", \.stringValue)
        task = try field("task") { $0.stringValue.flatMap(Task.init(rawValue:)) }
        classes = try field("classes", \.arrayValue)
        dtype = json["dtype"]?.stringValue
        taskChosen = json["task_chosen"]?.boolValue ?? false
        if format == .text {
            characters = Int(try field("characters", \.numberValue))
            let split = try field("split", \.numberValue)
            guard split > 0 && split < 1, columns.isEmpty, classes.allSatisfy({ $0.stringValue?.unicodeScalars.count == 1 }) else {
                throw JournalError.malformedRecord(path: source, message: "a text manifest needs 0 < split < 1, no columns and one-character classes")
            }
            trainFraction = split
            return
        }
        guard columns.contains(where: { $0.name == label }) else {
            throw JournalError.malformedRecord(path: source, message: "label `\(label)` is not one of the columns")
        }
    }
}
