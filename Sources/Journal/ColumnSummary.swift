/// What the manifest says of one column.
public struct ColumnSummary: Hashable, Sendable {
    public enum Kind: String, Sendable { case numeric, categorical }

    public var name: String
    public var kind: Kind
    public var missing: Int
    /// Numeric columns: min, max, mean, std (population). Nil for categorical columns or all-missing ones.
    public var minimum: Double?
    public var maximum: Double?
    public var mean: Double?
    public var standardDeviation: Double?
    /// Categorical columns: the number of distinct values (nil when more than `DatasetManifest.distinctLimit`).
    public var distinct: Int?

    var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "type": .string(kind.rawValue), "missing": .number(Double(missing))]
        if let minimum { members["min"] = .number(minimum) }
        if let maximum { members["max"] = .number(maximum) }
        if let mean { members["mean"] = .number(mean) }
        if let standardDeviation { members["std"] = .number(standardDeviation) }
        if kind == .categorical { members["distinct"] = distinct.map { .number(Double($0)) } ?? .null }
        return .object(members)
    }

    init(name: String, kind: Kind, missing: Int, minimum: Double? = nil, maximum: Double? = nil, mean: Double? = nil,
         standardDeviation: Double? = nil, distinct: Int? = nil) {
        self.name = name
        self.kind = kind
        self.missing = missing
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.distinct = distinct
    }

    init(json: JSONValue, source: String) throws {
        guard let name = json["name"]?.stringValue, let kindText = json["type"]?.stringValue, let kind = Kind(rawValue: kindText),
              let missing = json["missing"]?.numberValue else {
            throw JournalError.malformedRecord(path: source, message: "a column needs name, type (numeric|categorical) and missing")
        }
        self.init(name: name, kind: kind, missing: Int(missing), minimum: json["min"]?.numberValue, maximum: json["max"]?.numberValue,
                  mean: json["mean"]?.numberValue, standardDeviation: json["std"]?.numberValue, distinct: json["distinct"]?.numberValue.map { Int($0) })
    }
}
