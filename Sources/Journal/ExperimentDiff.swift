/// What differs between two experiments: parameters, dataset, metrics (with deltas) and curves.
public struct ExperimentDiff: Sendable {
    public struct MetricDelta: Sendable {
        public let name: String
        public let old: Double?
        public let new: Double?
        public var delta: Double? { old.flatMap { a in new.map { $0 - a } } }

        var json: JSONValue {
            ["metric": .string(name), "old": old.map(JSONValue.number) ?? .null, "new": new.map(JSONValue.number) ?? .null,
             "delta": delta.map(JSONValue.number) ?? .null]
        }
    }

    public let old: ExperimentRecord
    public let new: ExperimentRecord
    public let parameters: [ValueChange]
    public let sameDataset: Bool
    public let sameRunKey: Bool
    public let metrics: [MetricDelta]
    /// Checks whose status differs (a check one side lacks has status nil there).
    public let checks: [(code: String, title: String, old: String?, new: String?)]

    public init(old: ExperimentRecord, new: ExperimentRecord) {
        self.old = old
        self.new = new
        parameters = ValueChange.between(old.params, new.params)
        sameDataset = old.datasetID == new.datasetID
        sameRunKey = old.runKey == new.runKey
        metrics = Set(old.metrics.keys).union(new.metrics.keys).sorted().map {
            MetricDelta(name: $0, old: old.metrics[$0]?.numberValue, new: new.metrics[$0]?.numberValue)
        }
        var checks: [(code: String, title: String, old: String?, new: String?)] = []
        let before = Dictionary(old.checks.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for check in new.checks where check.status != before[check.code]?.status {
            checks.append((check.code, check.title, before[check.code]?.status, check.status))
            seen.insert(check.code)
        }
        for check in old.checks where !seen.contains(check.code) && !new.checks.contains(where: { $0.code == check.code }) {
            checks.append((check.code, check.title, check.status, nil))
        }
        self.checks = checks
    }

    /// The per-epoch values of a curve for both, side by side (missing epochs as nil).
    public func curve(_ name: String) -> [(epoch: Int, old: Double?, new: Double?)] {
        let left = old.curves[name]?.arrayValue?.compactMap(\.numberValue) ?? []
        let right = new.curves[name]?.arrayValue?.compactMap(\.numberValue) ?? []
        return (0..<max(left.count, right.count)).map { ($0 + 1, $0 < left.count ? left[$0] : nil, $0 < right.count ? right[$0] : nil) }
    }

    public var json: JSONValue {
        var curves: [String: JSONValue] = [:]
        for name in Set(old.curves.keys).union(new.curves.keys) where name != "epoch" && name != "seconds" {
            curves[name] = ["old": old.curves[name] ?? .null, "new": new.curves[name] ?? .null]
        }
        return [
            "kind": "experiments", "old": .string(old.id.hex), "new": .string(new.id.hex),
            "same_run_key": .bool(sameRunKey), "same_dataset": .bool(sameDataset),
            "params": .array(parameters.map(\.json)), "metrics": .array(metrics.map(\.json)), "curves": .object(curves),
            "checks": .array(checks.map { ["code": .string($0.code), "title": .string($0.title),
                                           "old": $0.old.map(JSONValue.string) ?? .null, "new": $0.new.map(JSONValue.string) ?? .null] }),
        ]
    }
}
