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
public struct VerdictEvaluator {
    public let alpha: Double

    public init(alpha: Double = 0.05) { self.alpha = alpha }

    /// - Throws: `LabError.invalidParameter` for a metric that no experiment records.
    public func judge(_ hypothesis: Hypothesis, experiments: [ExperimentRecord]) throws -> Verdict {
        let known = Set(experiments.flatMap { $0.metrics.keys })
        for prediction in hypothesis.predictions {
            var metrics = [prediction.left.metric]
            if case let .side(side, _) = prediction.right { metrics.append(side.metric) }
            for metric in metrics where !experiments.isEmpty && !known.contains(metric) {
                throw LabError.invalidParameter(key: metric, message: "no experiment records this metric; known: \(known.sorted().joined(separator: ", "))")
            }
        }
        return Verdict(hypothesis: hypothesis.name, alpha: alpha, results: hypothesis.predictions.map { judge($0, experiments) }, experiments: experiments.count)
    }

    /// The metric of every experiment a side selects that finished normally. A diverged or failed run's
    /// metrics are those of its last finite epoch (or none), not a measurement of the outcome: it is left
    /// out and counted in `leftOut`.
    func values(_ side: Prediction.Side, _ experiments: [ExperimentRecord], leftOut: inout Int) -> [Double] {
        let selected = experiments.filter { experiment in
            side.selector.allSatisfy { key, wanted in Self.matches(experiment.params[key], wanted) }
        }
        let finished = selected.filter { ($0.run["status"]?.stringValue ?? "ok") == "ok" }
        leftOut += selected.count - finished.count
        return finished.compactMap { $0.metrics[side.metric]?.numberValue }
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
        var leftOut = 0
        let leftValues = values(prediction.left, experiments, leftOut: &leftOut)
        var rightValues: [Double]? = nil
        var margin = 0.0
        var constant: Double? = nil
        switch prediction.right {
        case let .side(side, shift):
            rightValues = values(side, experiments, leftOut: &leftOut)
            margin = shift
        case let .number(value):
            constant = value
        }
        func result(_ status: PredictionResult.Status, _ reason: String, left: Double? = nil, right: Double? = nil,
                    test: WelchTest? = nil, runsNeeded: Int? = nil) -> PredictionResult {
            PredictionResult(prediction: prediction, status: status,
                             reason: reason + (leftOut > 0 ? "; \(leftOut) diverged or failed run\(leftOut == 1 ? "" : "s") left out" : ""), countLeft: leftValues.count,
                             countRight: rightValues?.count ?? 0, left: left, right: right, test: test, runsNeeded: runsNeeded)
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
