import Foundation
import Journal
import Statistics
import Training

/// Judges predictions against experiments.
///
/// For `mean(m | A) OP mean(m | B) [± margin]` with at least two runs on each side, a one-sided t-test
/// in the direction of the prediction: the paired test when both groups ran the same seeds (unless
/// `unpaired`), else Welch's; supported when the direction holds and p < α, falsified when the opposite
/// holds with p < α, otherwise inconclusive with the runs a test would need for power 0.8. `mean OP
/// number` uses a one-sample t-test. `iqm`/`median` are judged by a bootstrap test of the difference and
/// `prob(m | A < B) OP x` by a bootstrap test of P(A < B), each with at least `bootstrapMinimum` runs a
/// side. `min`, `max` and `std` are compared directly. With fewer runs than a test needs, a comparison
/// that fails falsifies and one that holds stays inconclusive. Several tested predictions are adjusted
/// with Holm; a sequential hypothesis is decided by the always-valid `SequentialTTest` (Docs/Statistics.md).
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

    /// Runs per side (or pairs) the bootstrap tests (median, IQM, prob) need: on fewer, every resample
    /// of two separated groups keeps their order and the bootstrap p-value falls to 1/(B + 1), far below
    /// what an exact permutation test allows (3 against 3 fully separated: Mann–Whitney p = 0.05).
    public static let bootstrapMinimum = 5

    /// Parameters that tell replicates apart rather than conditions: never a reason to call a group pooled.
    public static let replicateKeys: Set<String> = ["seed", "split_seed"]

    /// Never pair the groups by seed (`xj verdict --unpaired`).
    public let unpaired: Bool

    /// The tags of the hypothesis line's experiments (`tags/<experiment id>/<tag>`), for `tag=NAME` selectors.
    public let tags: [ObjectID: [String]]

    public init(alpha: Double = 0.05, pool: Bool = false, unpaired: Bool = false, datasetNames: [String: TreeID] = [:], tags: [ObjectID: [String]] = [:]) {
        self.alpha = alpha
        self.pool = pool
        self.unpaired = unpaired
        self.datasetNames = datasetNames
        self.tags = tags
    }

    /// - Throws: `LabError.invalidParameter` for a metric that no experiment records.
    public func judge(_ hypothesis: Hypothesis, experiments: [ExperimentRecord]) throws -> Verdict {
        try judge(hypothesis, experiments: ExperimentColumns(records: experiments))
    }

    /// `judge(_:experiments:)` of experiments by column (`LabJournal.experimentColumns(in:)`).
    public func judge(_ hypothesis: Hypothesis, experiments: ExperimentColumns) throws -> Verdict {
        let known = experiments.recordedMetricNames
        for prediction in hypothesis.predictions {
            for metric in prediction.sides.map(\.metric) where experiments.count > 0 && !known.contains(metric) {
                throw LabError.unknownName(kind: "metric", name: metric, prediction: prediction.text,
                                           nearest: RecordNames.nearest(to: metric, among: known.sorted()))
            }
        }
        let sequential = hypothesis.sequential ? hypothesis.predictions.count : nil
        var results = hypothesis.predictions.map { judge($0, experiments, sequentialPredictions: sequential) }
        if !hypothesis.sequential { applyHolm(&results) }
        var verdict = Verdict(hypothesis: hypothesis.name, alpha: alpha, results: results, experiments: experiments.count)
        verdict.looks = hypothesis.looks + [experiments.count]
        verdict.sequential = hypothesis.sequential
        return verdict
    }

    /// Holm–Bonferroni over the predictions decided by a test (m ≥ 2): each keeps its decision only
    /// when its Holm-adjusted p (of the direction that decided, or the smaller one) stays below α.
    func applyHolm(_ results: inout [PredictionResult]) {
        let tested = results.indices.filter { results[$0].evidence != nil && results[$0].status != .ambiguous }
        guard tested.count >= 2 else { return }
        let pValues = tested.map { min(results[$0].pStated!, results[$0].pOpposite!) }
        let adjusted = Holm.adjusted(pValues)
        let levels = Holm.levels(pValues, alpha: alpha)
        for (position, index) in tested.enumerated() {
            results[index].holm = (tested.count, adjusted[position], levels[position])
            if results[index].status != .inconclusive, adjusted[position] >= alpha {
                let decided = results[index].status.rawValue
                results[index].status = .inconclusive
                results[index].reason = "\(results[index].evidence!.name): p = \(PValueFormat.text(pValues[position], alpha: alpha)) would have \(decided == "supported" ? "supported" : "falsified") it alone, " +
                    "but not after Holm's adjustment over \(tested.count) predictions (adjusted p ≥ α = \(PredictionResult.number(alpha)))"
                results[index].runsNeeded = results[index].comparison?.countForPower
            }
        }
    }

    /// The experiments (rows) a side selects, and how many it left out for not having finished normally.
    /// A diverged or failed run's metrics are those of its last finite epoch (or none), not a measurement
    /// of the outcome: without a `status` pin only `ok` runs count. Each selector is decided once per
    /// distinct value, then rows are kept by the index of theirs.
    func select(_ side: Prediction.Side, _ experiments: ExperimentColumns, leftOut: inout [Int]) -> [Int] {
        var keep = [Bool](repeating: true, count: experiments.count)
        func narrow(_ column: [Int32], _ accepted: [Bool]) {
            for row in keep.indices where keep[row] {
                let index = column[row]
                keep[row] = index >= 0 && accepted[Int(index)]
            }
        }
        for (key, wanted) in side.selector {
            switch key {
            case "dataset": narrow(experiments.datasetOfRow, experiments.datasets.map { matchesDataset($0, wanted) })
            case "status": narrow(experiments.statusOfRow, experiments.statuses.map { Self.matches(.string($0), wanted) })
            case "tag":
                for row in keep.indices where keep[row] {
                    keep[row] = (tags[experiments.ids[row]] ?? []).contains { Self.matches(.string($0), wanted) }
                }
            default:
                guard let column = experiments.parameter(key) else { return [] }
                // Decided for the values these rows use only: a seed pinned among 100,000 seeds is one comparison each.
                var decided = [UInt8](repeating: 0, count: experiments.values.count)
                for row in keep.indices where keep[row] {
                    let index = column[row]
                    guard index >= 0 else { keep[row] = false; continue }
                    if decided[Int(index)] == 0 { decided[Int(index)] = Self.matches(experiments.values[Int(index)], wanted) ? 1 : 2 }
                    keep[row] = decided[Int(index)] == 1
                }
            }
        }
        let finishedStatus = experiments.statuses.map { $0 == "ok" }
        var selected: [Int] = []
        for row in keep.indices where keep[row] {
            if side.selector["status"] != nil || finishedStatus[Int(experiments.statusOfRow[row])] { selected.append(row) } else { leftOut.append(row) }
        }
        return selected
    }

    func values(_ side: Prediction.Side, _ group: [Int], _ experiments: ExperimentColumns) -> [Double] {
        guard let column = experiments.metric(side.metric) else { return [] }
        return group.compactMap { column[$0].isNaN ? nil : column[$0] }
    }

    /// "; 2 diverged or failed runs left out (3f2a91c diverged, 7b478c1 failed)": counted and named.
    static func leftOutText(_ rows: [Int], _ experiments: ExperimentColumns) -> String {
        guard !rows.isEmpty else { return "" }
        let named = rows.prefix(5).map { "\(experiments.ids[$0].short) \(experiments.status(ofRow: $0))" }.joined(separator: ", ")
        return "; \(rows.count) diverged or failed run\(rows.count == 1 ? "" : "s") left out (\(named)\(rows.count > 5 ? ", …" : ""))"
    }

    /// `dataset=NAME` (a dataset of the journal state) or `dataset=<hex prefix>` of the dataset tree id.
    func matchesDataset(_ id: TreeID, _ wanted: JSONValue) -> Bool {
        let text = wanted.stringValue ?? wanted.displayText
        if let named = datasetNames[text] { return named == id }
        return text.count >= 4 && text.allSatisfy(\.isHexDigit) && id.hex.hasPrefix(text.lowercased())
    }

    /// Each condition's distinct values over some rows, as the user reads them, with "(unset)" when some
    /// rows lack it: their parameters (seeds excepted), and what an experiment is beyond them, its
    /// dataset and command, which win over parameters of those names. Values are gathered by index, then
    /// compared as JSON values (so `0` and `-0` are one) and written as text once each.
    static func conditions(_ group: [Int], _ experiments: ExperimentColumns) -> [String: Set<String>] {
        var conditions: [String: Set<String>] = [:]
        func gather(_ column: [Int32], table: (Int) -> JSONValue, skip: [Int32]? = nil) -> (Set<JSONValue>, Int) {
            var seen = Set<Int32>()
            var last: Int32 = -1
            var count = 0
            for row in group {
                let index = column[row]
                if index < 0 || (skip.map { $0[row] >= 0 } ?? false) { continue }
                count += 1
                if index != last { seen.insert(index); last = index }
            }
            return (Set(seen.map { table(Int($0)) }), count)
        }
        func add(_ name: String, _ values: Set<JSONValue>, _ count: Int) {
            guard count > 0 else { return }
            var texts = Set(values.map(\.displayText))
            if count < group.count { texts.insert("(unset)") }
            conditions[name] = texts
        }
        let datasetTexts = experiments.datasets.map { JSONValue.string($0.short) }
        let commandTexts = experiments.commands.map { JSONValue.string($0.joined(separator: " ")) }
        var dataset = gather(experiments.datasetOfRow, table: { datasetTexts[$0] })
        var command = gather(experiments.commandOfRow, table: { commandTexts[$0] })
        for (position, name) in experiments.parameterNames.enumerated() where !replicateKeys.contains(name) {
            let column = experiments.parameterColumns[position]
            switch name {
            // Only where the experiment has no dataset (or command) of its own does the parameter count.
            case "dataset":
                let (values, count) = gather(column, table: { experiments.values[$0] }, skip: experiments.datasetOfRow)
                dataset = (dataset.0.union(values), dataset.1 + count)
            case "command":
                let (values, count) = gather(column, table: { experiments.values[$0] }, skip: experiments.commandOfRow)
                command = (command.0.union(values), command.1 + count)
            default:
                let (values, count) = gather(column, table: { experiments.values[$0] })
                add(name, values, count)
            }
        }
        add("dataset", dataset.0, dataset.1)
        add("command", command.0, command.1)
        return conditions
    }

    /// Why the groups do not compare what the prediction states, or nil: a group whose experiments differ
    /// in a condition its selector does not pin, or two groups that differ in a condition neither pins.
    func confounding(_ prediction: Prediction, left: [Int], right: [Int]?, _ experiments: ExperimentColumns) -> String? {
        func listed(_ values: Set<String>) -> String { values.sorted().prefix(4).joined(separator: ", ") + (values.count > 4 ? ", …" : "") }
        var sides: [(Prediction.Side, [Int])] = [(prediction.left, left)]
        if let right, prediction.sides.count > 1 { sides.append((prediction.sides[1], right)) }
        var problems: [String] = []
        for (side, group) in sides {
            let pinned = Set(side.selector.keys)
            let differing = Self.conditions(group, experiments).filter { !pinned.contains($0.key) && $0.value.count > 1 }
            if !differing.isEmpty {
                let keys = differing.keys.sorted().prefix(4).map { "\($0) (\(listed(differing[$0]!)))" }
                problems.append("group `\(side.text)` pools \(group.count) experiments that differ in " + keys.joined(separator: ", "))
            }
        }
        if sides.count == 2, problems.isEmpty {
            let pinned = Set(sides[0].0.selector.keys).union(sides[1].0.selector.keys)
            let (a, b) = (Self.conditions(sides[0].1, experiments), Self.conditions(sides[1].1, experiments))
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
        switch aggregate {
        case .mean, .prob: return Descriptive.mean(values)
        case .median: return Descriptive.median(values)
        case .iqm: return Descriptive.interquartileMean(values)
        case .min: return values.min()!
        case .max: return values.max()!
        case .std: return values.count > 1 ? Descriptive.standardDeviation(values) : 0
        }
    }

    /// The two groups in pair order when every experiment of each has a distinct replicate (its `seed`
    /// and `split_seed`) and both groups have the same replicates: each seed was run under both conditions.
    static func pairs(_ left: [Int], _ right: [Int], _ experiments: ExperimentColumns, metric: String, otherMetric: String) -> ([Double], [Double])? {
        let replicates = replicateKeys.sorted()
        func key(_ row: Int) -> String? {
            let parts = replicates.compactMap { key in experiments.value(of: key, row: row).map { "\(key)=\($0.displayText)" } }
            return experiments.value(of: "seed", row: row) == nil ? nil : parts.joined(separator: " ")
        }
        guard left.count >= 2, left.count == right.count, let leftColumn = experiments.metric(metric),
              let rightColumn = experiments.metric(otherMetric) else { return nil }
        var leftByKey: [String: Double] = [:], rightByKey: [String: Double] = [:]
        for row in left {
            guard let key = key(row), leftByKey[key] == nil, !leftColumn[row].isNaN else { return nil }
            leftByKey[key] = leftColumn[row]
        }
        for row in right {
            guard let key = key(row), rightByKey[key] == nil, !rightColumn[row].isNaN else { return nil }
            rightByKey[key] = rightColumn[row]
        }
        guard Set(leftByKey.keys) == Set(rightByKey.keys) else { return nil }
        let order = leftByKey.keys.sorted()
        return (order.map { leftByKey[$0]! }, order.map { rightByKey[$0]! })
    }

    func judge(_ prediction: Prediction, _ experiments: ExperimentColumns, sequentialPredictions: Int?) -> PredictionResult {
        var leftOut: [Int] = []
        let leftGroup = select(prediction.left, experiments, leftOut: &leftOut)
        var leftValues = values(prediction.left, leftGroup, experiments)
        var rightGroup: [Int]? = nil
        var rightValues: [Double]? = nil
        var margin = 0.0
        var constant: Double? = nil
        var rightSide: Prediction.Side? = nil
        if let versus = prediction.versus {
            rightSide = versus.side
            constant = prediction.right.number
        } else {
            switch prediction.right {
            case let .side(side, shift):
                rightSide = side
                margin = shift
            case let .number(value):
                constant = value
            }
        }
        if let rightSide {
            rightGroup = select(rightSide, experiments, leftOut: &leftOut)
            rightValues = values(rightSide, rightGroup!, experiments)
        }
        func result(_ status: PredictionResult.Status, _ reason: String, left: Double? = nil, right: Double? = nil) -> PredictionResult {
            var result = PredictionResult(prediction: prediction, status: status, reason: reason + Self.leftOutText(leftOut, experiments), countLeft: leftValues.count,
                                          countRight: rightValues?.count ?? 0, left: left, right: right.map { $0 - margin })
            result.margin = margin
            result.alpha = alpha
            return result
        }
        guard !leftValues.isEmpty else { return result(.inconclusive, "no experiment matches \(prediction.left.text)") }
        if let rightValues, rightValues.isEmpty, let rightSide { return result(.inconclusive, "no experiment matches \(rightSide.text)") }
        if !pool, let confounded = confounding(prediction, left: leftGroup, right: rightGroup, experiments) {
            let leftAggregate = Self.aggregate(prediction.left.aggregate, leftValues)
            let rightAggregate = rightValues.map { Self.aggregate(rightSide!.aggregate, $0) + margin } ?? constant!
            return result(.ambiguous, confounded, left: leftAggregate, right: rightAggregate)
        }
        if let versus = prediction.versus { return judgeProbability(prediction, versus: versus, leftValues, rightValues!, threshold: constant!, result: result) }

        let paired = !unpaired && rightGroup != nil && {
            guard let pairs = Self.pairs(leftGroup, rightGroup!, experiments, metric: prediction.left.metric, otherMetric: rightSide!.metric) else { return false }
            (leftValues, rightValues) = (pairs.0, pairs.1)
            return true
        }()
        let leftAggregate = Self.aggregate(prediction.left.aggregate, leftValues)
        let rightAggregate = rightValues.map { Self.aggregate(rightSide!.aggregate, $0) + margin } ?? constant!
        let holds = prediction.comparison.holds(leftAggregate, rightAggregate)
        let sameAggregate = rightSide.map { $0.aggregate == prediction.left.aggregate } ?? true
        let tested: GroupComparison.Aggregate? = !sameAggregate ? nil : {
            switch prediction.left.aggregate {
            case .mean: return .mean
            case .median: return .median
            case .iqm: return .iqm
            default: return nil
            }
        }()
        let needed = tested == .median || tested == .iqm ? Self.bootstrapMinimum : 2
        let enough = leftValues.count >= needed && (rightValues.map { $0.count >= needed } ?? true)
        var judged = result(.inconclusive, "", left: leftAggregate, right: rightAggregate)
        judged.leftSummary = GroupSummary(leftValues)
        judged.rightSummary = rightValues.map(GroupSummary.init)
        judged.paired = paired
        guard enough, let tested else {
            let why = enough ? "compared directly (\(prediction.left.aggregate.rawValue) has no test here)" : "too few runs for a test"
            // Too few runs decide nothing either way: a failing comparison of one run a side no more
            // falsifies than a holding one supports. Only an aggregate compared without a test decides.
            judged.status = enough ? (holds ? .supported : .falsified) : .inconclusive
            let minimum = "a test needs at least \(needed) runs on each side" + (needed > 2 ? " (a bootstrap test on fewer is overconfident)" : "")
            judged.reason = (enough ? "\(why): the comparison \(holds ? "holds" : "fails")"
                                    : "the comparison \(holds ? "holds" : "fails"), but \(minimum)") + Self.leftOutText(leftOut, experiments)
            return judged
        }
        let comparison = GroupComparison(left: leftValues, right: rightValues, number: constant ?? 0, margin: margin, paired: paired,
                                         aggregate: tested, alpha: alpha)
        judged.comparison = comparison
        if let test = comparison.test {
            judged.evidence = PredictionEvidence(name: test.kind.name, pLess: test.pLess, pGreater: test.pGreater, difference: test.difference,
                                                 upperBound: test.oneSidedBound(alpha: alpha, upper: true),
                                                 lowerBound: test.oneSidedBound(alpha: alpha, upper: false),
                                                 t: test.t, degreesOfFreedom: test.degreesOfFreedom)
        } else {
            let shift = rightValues == nil ? 0 : margin
            let p = comparison.bootstrapP(margin: shift)
            // The statistic the bootstrap resampled (for pairs: the aggregate of the differences), so the bound matches it.
            let difference = comparison.bootstrapEstimate - shift
            judged.evidence = PredictionEvidence(name: "bootstrap test of the \(tested == .iqm ? "IQM" : "median")\(paired ? " of the paired differences" : "")",
                                                 pLess: p.less, pGreater: p.greater, difference: difference,
                                                 upperBound: comparison.bootstrapBound(alpha: alpha, upper: true) - shift,
                                                 lowerBound: comparison.bootstrapBound(alpha: alpha, upper: false) - shift)
        }
        if let sequentialPredictions, let test = comparison.studentTest ?? comparison.test {
            judged.sequential = SequentialTTest(test, alpha: alpha / Double(sequentialPredictions), expectsBelow: prediction.comparison.expectsBelow)
        }
        decide(&judged, holds: holds, level: alpha)
        judged.reason += Self.leftOutText(leftOut, experiments)
        return judged
    }

    /// Supported when the predicted direction holds with p < level, falsified when the opposite holds
    /// with p < level, else inconclusive with the runs a test would need. A sequential test decides by
    /// its e-value instead.
    func decide(_ judged: inout PredictionResult, holds: Bool, level: Double) {
        guard let evidence = judged.evidence, let pStated = judged.pStated, let pOpposite = judged.pOpposite else { return }
        let name = evidence.name + (judged.paired ? " (paired by seed)" : "")
        if let sequential = judged.sequential {
            switch sequential.decision {
            case .supported: (judged.status, judged.reason) = (.supported, "sequential test: \(sequential.decision.rawValue) (e-value ≥ \(PredictionResult.number(sequential.threshold)))")
            case .falsified: (judged.status, judged.reason) = (.falsified, "sequential test: \(sequential.decision.rawValue), the opposite direction holds")
            case .keepGoing: (judged.status, judged.reason) = (.inconclusive, "sequential test: keep going (e-value below \(PredictionResult.number(sequential.threshold)))")
            }
        } else if pStated < level && holds {
            (judged.status, judged.reason) = (.supported, "\(name), one-sided, p < α = \(PredictionResult.number(level))")
        } else if pOpposite < level && !holds {
            (judged.status, judged.reason) = (.falsified, "\(name): the opposite direction holds, p < α = \(PredictionResult.number(level))")
        } else {
            (judged.status, judged.reason) = (.inconclusive, "\(name): p ≥ α = \(PredictionResult.number(level)) in both directions")
        }
        judged.runsNeeded = judged.status == .inconclusive ? judged.comparison?.countForPower : nil
    }

    /// `prob(m | A < B) OP x`: P(A < B) from the Mann–Whitney U of the two groups, against x, by the
    /// percentile bootstrap of the probability (stratified over the two groups), or with DeLong's
    /// normal approximation when both groups have `Bootstrap.expansionMinimum` runs or more.
    func judgeProbability(_ prediction: Prediction, versus: Prediction.Versus, _ leftValues: [Double], _ rightValues: [Double], threshold: Double,
                          result: (PredictionResult.Status, String, Double?, Double?) -> PredictionResult) -> PredictionResult {
        guard let mannWhitney = MannWhitney(leftValues, rightValues) else { return result(.inconclusive, "no values to compare", nil, nil) }
        let probability = versus.below ? 1 - mannWhitney.probabilityOfSuperiority : mannWhitney.probabilityOfSuperiority
        let holds = prediction.comparison.holds(probability, threshold)
        var judged = result(.inconclusive, "", probability, threshold)
        judged.leftSummary = GroupSummary(leftValues)
        judged.rightSummary = GroupSummary(rightValues)
        guard leftValues.count >= Self.bootstrapMinimum, rightValues.count >= Self.bootstrapMinimum else {
            judged.status = .inconclusive
            judged.reason = "the comparison \(holds ? "holds" : "fails"), but a test needs at least \(Self.bootstrapMinimum) runs on each side (a bootstrap test on fewer is overconfident)"
            return judged
        }
        if Bootstrap.isLarge([leftValues, rightValues]),
           let (_, standardError) = SuperiorityInterval.estimate(leftValues, rightValues) {
            // 10,000 resamples of a rank statistic over this many runs would take minutes; its sampling
            // distribution is normal here, with DeLong's standard error (Docs/Statistics.md).
            let z = standardError > 0 ? (threshold - probability) / standardError : (threshold == probability ? 0 : (threshold > probability ? .infinity : -.infinity))
            let reach = Normal.quantile(1 - alpha) * standardError
            judged.evidence = PredictionEvidence(name: "DeLong test of P(A \(versus.below ? "<" : ">") B)",
                                                 pLess: Normal.survival(z), pGreater: Normal.cdf(z), difference: probability - threshold,
                                                 upperBound: probability + reach - threshold, lowerBound: probability - reach - threshold)
            decide(&judged, holds: holds, level: alpha)
            return judged
        }
        var generator = SeededGenerator(seed: 0)
        let statistic: ([[Double]]) -> Double = { samples in
            let p = MannWhitney(samples[0], samples[1])?.probabilityOfSuperiority ?? .nan
            return versus.below ? 1 - p : p
        }
        let replicates = Bootstrap.replicates([leftValues, rightValues], generator: &generator, statistic: statistic).sorted()
        let total = Double(replicates.count + 1)
        judged.evidence = PredictionEvidence(name: "bootstrap test of P(A \(versus.below ? "<" : ">") B)",
                                             pLess: (1 + Double(replicates.filter { $0 >= threshold }.count)) / total,
                                             pGreater: (1 + Double(replicates.filter { $0 <= threshold }.count)) / total,
                                             difference: probability - threshold,
                                             upperBound: Bootstrap.quantile(replicates, 1 - alpha) - threshold,
                                             lowerBound: Bootstrap.quantile(replicates, alpha) - threshold)
        decide(&judged, holds: holds, level: alpha)
        return judged
    }
}
