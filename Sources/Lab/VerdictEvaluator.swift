import Foundation
import Journal

/// Judges predictions against experiments.
///
/// For `AGG(m | A) OP AGG(m | B) [± margin]` with the mean and at least two runs on each side, a
/// one-sided Welch t-test in the direction of the prediction: supported when the direction holds
/// and p < α; falsified when the opposite direction holds with p < α; otherwise inconclusive, with
/// the runs per side a test would need. `AGG OP number` uses a one-sample t-test likewise. With fewer
/// runs, or an aggregate other than the mean, the aggregates are compared directly: a comparison that
/// fails falsifies; one that holds stays inconclusive for lack of runs (median, min, max, std with
/// two or more runs per side are compared directly and decide).
///
/// Selectors pin parameters (`dropout=0.5`), and also `dataset` (a name in the journal state or a tree
/// id prefix), `model` and `status` (`ok` by default: diverged and failed runs are left out and counted).
/// A group that pools experiments differing in something the prediction does not pin (another
/// dataset, model, lr, …; seeds excepted), or two groups that differ in such a thing, make the
/// prediction `ambiguous` unless `pool` is set: a comparison of mixed groups is not the one stated.
public struct VerdictEvaluator {
    public let alpha: Double
    /// Judge groups that pool differing experiments anyway (`xj verdict --pool`).
    public let pool: Bool
    /// Dataset names in the journal state, for `dataset=NAME` selectors.
    public let datasetNames: [String: TreeID]

    /// Parameters that tell replicates apart rather than conditions: never a reason to call a group pooled.
    public static let replicateKeys: Set<String> = ["seed", "split_seed"]

    public init(alpha: Double = 0.05, pool: Bool = false, datasetNames: [String: TreeID] = [:]) {
        self.alpha = alpha
        self.pool = pool
        self.datasetNames = datasetNames
    }

    /// - Throws: `LabError.invalidParameter` for a metric that no experiment records.
    public func judge(_ hypothesis: Hypothesis, experiments: [ExperimentRecord]) throws -> Verdict {
        let known = Set(experiments.flatMap { $0.metrics.keys })
        for prediction in hypothesis.predictions {
            var metrics = [prediction.left.metric]
            if case let .side(side, _) = prediction.right { metrics.append(side.metric) }
            for metric in metrics where !experiments.isEmpty && !known.contains(metric) {
                throw LabError.unknownName(kind: "metric", name: metric, prediction: prediction.text,
                                           nearest: RecordNames.nearest(to: metric, among: known.sorted()))
            }
        }
        return Verdict(hypothesis: hypothesis.name, alpha: alpha, results: hypothesis.predictions.map { judge($0, experiments) }, experiments: experiments.count)
    }

    /// The experiments a side selects, and how many it left out for not having finished normally. A
    /// diverged or failed run's metrics are those of its last finite epoch (or none), not a measurement
    /// of the outcome: without a `status` pin only `ok` runs count.
    func select(_ side: Prediction.Side, _ experiments: [ExperimentRecord], leftOut: inout [ExperimentRecord]) -> [ExperimentRecord] {
        let selected = experiments.filter { experiment in
            side.selector.allSatisfy { key, wanted in
                switch key {
                case "dataset": return matchesDataset(experiment, wanted)
                case "status": return Self.matches(.string(experiment.run["status"]?.stringValue ?? "ok"), wanted)
                default: return Self.matches(experiment.params[key], wanted)
                }
            }
        }
        guard side.selector["status"] == nil else { return selected }
        let finished = selected.filter { ($0.run["status"]?.stringValue ?? "ok") == "ok" }
        leftOut += selected.filter { ($0.run["status"]?.stringValue ?? "ok") != "ok" }
        return finished
    }

    func values(_ side: Prediction.Side, _ group: [ExperimentRecord]) -> [Double] {
        group.compactMap { $0.metrics[side.metric]?.numberValue }
    }

    /// "; 2 diverged or failed runs left out (3f2a91c diverged, 7b478c1 failed)": counted and named.
    static func leftOutText(_ runs: [ExperimentRecord]) -> String {
        guard !runs.isEmpty else { return "" }
        let named = runs.prefix(5).map { "\($0.id.short) \($0.run["status"]?.stringValue ?? "?")" }.joined(separator: ", ")
        return "; \(runs.count) diverged or failed run\(runs.count == 1 ? "" : "s") left out (\(named)\(runs.count > 5 ? ", …" : ""))"
    }

    /// `dataset=NAME` (a dataset of the journal state) or `dataset=<hex prefix>` of the dataset tree id.
    func matchesDataset(_ experiment: ExperimentRecord, _ wanted: JSONValue) -> Bool {
        guard let id = experiment.datasetID else { return false }
        let text = wanted.stringValue ?? wanted.displayText
        if let named = datasetNames[text] { return named == id }
        return text.count >= 4 && text.allSatisfy(\.isHexDigit) && id.hex.hasPrefix(text.lowercased())
    }

    /// What each experiment is, beyond its replicate keys: parameters, dataset and command.
    static func conditions(_ experiment: ExperimentRecord) -> [String: String] {
        var found: [String: String] = [:]
        for (key, value) in experiment.params where !replicateKeys.contains(key) { found[key] = value.displayText }
        if let dataset = experiment.datasetID { found["dataset"] = dataset.short }
        if let command = experiment.command { found["command"] = command.joined(separator: " ") }
        return found
    }

    /// Why the groups do not compare what the prediction states, or nil: a group whose experiments differ
    /// in a condition its selector does not pin, or two groups that differ in a condition neither pins.
    func confounding(_ prediction: Prediction, left: [ExperimentRecord], right: [ExperimentRecord]?) -> String? {
        func spread(_ group: [ExperimentRecord]) -> [String: Set<String>] {
            var keys = Set<String>()
            let described = group.map(Self.conditions)
            for conditions in described { keys.formUnion(conditions.keys) }
            var values: [String: Set<String>] = [:]
            for key in keys { values[key] = Set(described.map { $0[key] ?? "(unset)" }) }
            return values
        }
        func listed(_ values: Set<String>) -> String { values.sorted().prefix(4).joined(separator: ", ") + (values.count > 4 ? ", …" : "") }
        var sides: [(Prediction.Side, [ExperimentRecord])] = [(prediction.left, left)]
        if let right, case let .side(side, _) = prediction.right { sides.append((side, right)) }
        var problems: [String] = []
        for (side, group) in sides {
            let pinned = Set(side.selector.keys)
            let differing = spread(group).filter { !pinned.contains($0.key) && $0.value.count > 1 }
            if !differing.isEmpty {
                let keys = differing.keys.sorted().prefix(4).map { "\($0) (\(listed(differing[$0]!)))" }
                problems.append("group `\(side.text)` pools \(group.count) experiments that differ in " + keys.joined(separator: ", "))
            }
        }
        if sides.count == 2, problems.isEmpty {
            let pinned = Set(sides[0].0.selector.keys).union(sides[1].0.selector.keys)
            let (a, b) = (spread(sides[0].1), spread(sides[1].1))
            let differing = Set(a.keys).union(b.keys).subtracting(pinned).sorted().filter { (a[$0] ?? ["(unset)"]) != (b[$0] ?? ["(unset)"]) }
            if !differing.isEmpty {
                problems.append("the two groups also differ in " + differing.prefix(4).map { "\($0) (\(listed(a[$0] ?? ["(unset)"])) vs \(listed(b[$0] ?? ["(unset)"])))" }.joined(separator: ", "))
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + ": pin them in the selectors, or pass --pool to judge the pooled groups"
    }

    /// Values compared canonically; a one-element list equals its element (`hidden=256` selects `[256]`).
    static func matches(_ actual: JSONValue?, _ wanted: JSONValue) -> Bool {
        guard let actual else { return false }
        if CanonicalJSON.bytes(actual) == CanonicalJSON.bytes(wanted) { return true }
        if case let .array(items) = actual, items.count == 1 { return CanonicalJSON.bytes(items[0]) == CanonicalJSON.bytes(wanted) }
        return false
    }

    static func aggregate(_ aggregate: Prediction.Aggregate, _ values: [Double]) -> Double {
        let sorted = values.sorted()
        switch aggregate {
        case .mean: return values.reduce(0, +) / Double(values.count)
        case .median: return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        case .min: return sorted.first!
        case .max: return sorted.last!
        case .std:
            guard values.count > 1 else { return 0 }
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        }
    }

    func judge(_ prediction: Prediction, _ experiments: [ExperimentRecord]) -> PredictionResult {
        var leftOut: [ExperimentRecord] = []
        let leftGroup = select(prediction.left, experiments, leftOut: &leftOut)
        let leftValues = values(prediction.left, leftGroup)
        var rightGroup: [ExperimentRecord]? = nil
        var rightValues: [Double]? = nil
        var margin = 0.0
        var constant: Double? = nil
        switch prediction.right {
        case let .side(side, shift):
            rightGroup = select(side, experiments, leftOut: &leftOut)
            rightValues = values(side, rightGroup!)
            margin = shift
        case let .number(value):
            constant = value
        }
        func result(_ status: PredictionResult.Status, _ reason: String, left: Double? = nil, right: Double? = nil,
                    test: WelchTest? = nil, runsNeeded: Int? = nil) -> PredictionResult {
            PredictionResult(prediction: prediction, status: status,
                             reason: reason + Self.leftOutText(leftOut), countLeft: leftValues.count,
                             countRight: rightValues?.count ?? 0, left: left, right: right.map { $0 - margin }, margin: margin,
                             test: test, runsNeeded: runsNeeded, alpha: alpha)
        }
        guard !leftValues.isEmpty else { return result(.inconclusive, "no experiment matches \(prediction.left.text)") }
        if let rightValues, rightValues.isEmpty, case let .side(side, _) = prediction.right {
            return result(.inconclusive, "no experiment matches \(side.text)")
        }
        let leftAggregate = Self.aggregate(prediction.left.aggregate, leftValues)
        let rightAggregate: Double
        if let rightValues, case let .side(side, _) = prediction.right {
            rightAggregate = Self.aggregate(side.aggregate, rightValues) + margin
        } else {
            rightAggregate = constant!
        }
        if !pool, let confounded = confounding(prediction, left: leftGroup, right: rightGroup) {
            return result(.ambiguous, confounded, left: leftAggregate, right: rightAggregate)
        }
        let holds = prediction.comparison.holds(leftAggregate, rightAggregate)
        let bothMeans = prediction.left.aggregate == .mean && {
            if case let .side(side, _) = prediction.right { return side.aggregate == .mean }
            return true
        }()
        let enough = leftValues.count >= 2 && (rightValues.map { $0.count >= 2 } ?? true)

        if bothMeans && enough, let test = WelchTest(leftValues, rightValues, shift: rightValues == nil ? constant! : margin) {
            let below = prediction.comparison.expectsBelow
            let pFor = below ? test.pLess : test.pGreater
            let pAgainst = below ? test.pGreater : test.pLess
            let name = rightValues == nil ? "one-sample t-test" : "Welch t-test"
            if pFor < alpha && holds {
                return result(.supported, "\(name), one-sided, p < α = \(alpha)", left: leftAggregate, right: rightAggregate, test: test)
            }
            if pAgainst < alpha && !holds {
                return result(.falsified, "\(name): the opposite direction holds, p < α = \(alpha)", left: leftAggregate, right: rightAggregate, test: test)
            }
            return result(.inconclusive, "\(name): p ≥ α = \(alpha) in both directions", left: leftAggregate, right: rightAggregate,
                          test: test, runsNeeded: test.runsNeeded(alpha: alpha))
        }
        if !holds {
            return result(.falsified, enough ? "compared directly (\(prediction.left.aggregate.rawValue) has no test here): the comparison fails"
                                             : "too few runs for a test, and the comparison fails", left: leftAggregate, right: rightAggregate)
        }
        if enough {
            return result(.supported, "compared directly (\(prediction.left.aggregate.rawValue) has no test here): the comparison holds",
                          left: leftAggregate, right: rightAggregate)
        }
        return result(.inconclusive, "the comparison holds, but a test needs at least 2 runs on each side", left: leftAggregate, right: rightAggregate)
    }
}
