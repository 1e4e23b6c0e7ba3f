/// One sanity-check finding as stored in an experiment's `results/checks.json` (FORMAT.md).
public struct RecordedCheck: Sendable, Equatable {
    public let code: String
    public let title: String
    public let stage: String
    /// pass, warn, fail or n/a.
    public let status: String
    public let message: String
    /// The numbers the status was decided from; one that was infinite or NaN is stored as JSON null.
    public let values: [String: Double]

    public init(code: String, title: String, stage: String, status: String, message: String, values: [String: Double]) {
        self.code = code
        self.title = title
        self.stage = stage
        self.status = status
        self.message = message
        self.values = values
    }

    public init?(_ json: JSONValue) {
        guard let object = json.objectValue, case let .string(code)? = object["code"], case let .string(status)? = object["status"] else { return nil }
        func text(_ key: String) -> String { if case let .string(value)? = object[key] { return value } else { return "" } }
        var values: [String: Double] = [:]
        for (key, value) in object["values"]?.objectValue ?? [:] { if case let .number(number) = value { values[key] = number } }
        self.init(code: code, title: text("title"), stage: text("stage"), status: status, message: text("message"), values: values)
    }

    public var json: JSONValue {
        .object(["code": .string(code), "title": .string(title), "stage": .string(stage), "status": .string(status),
                 "message": .string(message), "values": .object(values.mapValues { $0.isFinite ? .number($0) : .null })])
    }

    /// The contents of `results/checks.json` for a list of findings.
    public static func file(_ checks: [RecordedCheck]) -> JSONValue { .object(["checks": .array(checks.map(\.json))]) }

    /// Counts by status, e.g. "17 pass, 2 warn, 1 fail, 1 n/a".
    public static func summary(_ checks: [RecordedCheck]) -> String {
        ["pass", "warn", "fail", "n/a"].compactMap { status in
            let count = checks.filter { $0.status == status }.count
            return count > 0 ? "\(count) \(status)" : nil
        }.joined(separator: ", ")
    }

    /// The codes that did not pass, by status, e.g. "fail K302; warn K102, K501" (empty when all passed).
    public static func flagged(_ checks: [RecordedCheck]) -> String {
        ["fail", "warn"].compactMap { status in
            let codes = Set(checks.filter { $0.status == status }.map(\.code))
            return codes.isEmpty ? nil : status + " " + codes.sorted().joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
