import Foundation
import Journal
import Statistics

/// How one prediction fared against the recorded experiments, with the numbers behind it.
public struct PredictionResult: Sendable {
    /// `ambiguous`: the groups pool or differ in conditions the prediction does not pin, so it was not judged.
    public enum Status: String, Sendable { case supported, falsified, inconclusive, ambiguous }

    public let prediction: Prediction
    public internal(set) var status: Status
    /// Why, in words: the test used, or what is missing.
    public internal(set) var reason: String
    public let countLeft: Int
    public let countRight: Int
    /// The aggregate of each side (`right` without the margin: for `… < mean(b) - 0.01` it is mean(b));
    /// for prob(…) `left` is the probability and `right` the threshold.
    public let left: Double?
    public let right: Double?
    /// What the prediction adds to the right side (`- 0.01` is −0.01); 0 for a number.
    public var margin: Double = 0
    /// The significance level it was judged at.
    public var alpha: Double = 0.05
    public var leftSummary: GroupSummary? = nil
    public var rightSummary: GroupSummary? = nil
    /// The test that decided (or would decide), when there was one.
    public var evidence: PredictionEvidence? = nil
    /// Intervals, effect size, probability of improvement and power, for groups of two or more runs.
    public var comparison: GroupComparison? = nil
    /// Whether the two groups were paired by seed.
    public var paired = false
    /// Runs per side (pairs, or runs for one sample) that would give power 0.8, when inconclusive.
    public var runsNeeded: Int? = nil
    /// Holm–Bonferroni over the hypothesis's tested predictions: m, the adjusted p and this prediction's level.
    public internal(set) var holm: (count: Int, adjustedP: Double, level: Double)? = nil
    /// The always-valid sequential test, for a hypothesis stated with --sequential.
    public internal(set) var sequential: SequentialTTest? = nil

    /// Whether the direction that decided (or, when nothing decided, the stated one) says left is below right.
    public var decidingBelow: Bool {
        status == .falsified ? !prediction.comparison.expectsBelow : prediction.comparison.expectsBelow
    }

    /// p of the stated direction and of the opposite one.
    public var pStated: Double? { evidence.map { prediction.comparison.expectsBelow ? $0.pLess : $0.pGreater } }
    public var pOpposite: Double? { evidence.map { prediction.comparison.expectsBelow ? $0.pGreater : $0.pLess } }

    /// The one-sided bound on left − right (margin not subtracted) in the deciding direction, at 1 − α:
    /// it matches the test, so it excludes the margin exactly when the test rejects.
    public var bound: Double? { evidence.map { (decidingBelow ? $0.upperBound : $0.lowerBound) + margin } }

    public static func number(_ value: Double) -> String { String(format: "%.4g", value) }

    /// P(left > right) turned to the prediction's direction: "P(left < right)" for a prediction that left is below.
    var superiorityInDirection: (name: String, value: Double, low: Double, high: Double)? {
        guard let superiority = comparison?.superiority else { return nil }
        if prediction.comparison.expectsBelow {
            return ("P(left < right)", 1 - superiority.value, 1 - superiority.high, 1 - superiority.low)
        }
        return ("P(left > right)", superiority.value, superiority.low, superiority.high)
    }

    public var json: JSONValue {
        func number(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .string(value > 0 ? "inf" : (value < 0 ? "-inf" : "nan")) }
        var members: [String: JSONValue] = [
            "prediction": .string(prediction.text), "status": .string(status.rawValue), "reason": .string(reason),
            "n_left": .number(Double(countLeft)), "n_right": .number(Double(countRight)), "margin": .number(margin),
        ]
        if let left { members["left"] = number(left) }
        if let right { members["right"] = number(right) }
        var groups: [String: JSONValue] = [:]
        if let leftSummary { groups["left"] = leftSummary.json }
        if let rightSummary { groups["right"] = rightSummary.json }
        if !groups.isEmpty { members["groups"] = .object(groups) }
        if let evidence, let bound, let pStated, let pOpposite {
            members["test"] = .string(evidence.name)
            members["difference"] = number(evidence.difference + margin)
            members["bound"] = ["level": .number(1 - alpha), "side": .string(decidingBelow ? "upper" : "lower"), "value": number(bound)]
            if let t = evidence.t { members["t"] = number(t) }
            if let df = evidence.degreesOfFreedom { members["df"] = .number(df) }
            members["p"] = .number(pStated)
            members["p_opposite"] = .number(pOpposite)
        }
        if paired { members["paired"] = true }
        if let comparison {
            if let interval = comparison.tInterval {
                members["ci_t"] = ["level": .number(comparison.level), "low": number(interval.low), "high": number(interval.high)]
            }
            if let interval = comparison.bootstrapInterval {
                // An expanded bootstrap has no resamples: it is the ideal bootstrap's series (LinearBootstrap).
                var bootstrap: [String: JSONValue] = ["level": .number(comparison.level), "method": "BCa", "low": number(interval.low), "high": number(interval.high)]
                if comparison.bootstrapExpansion != nil { bootstrap["computed"] = "Edgeworth expansion" } else { bootstrap["resamples"] = .number(Double(Bootstrap.defaultResamples)) }
                members["ci_bootstrap"] = .object(bootstrap)
            }
            if let effect = comparison.effectSize { members[countRight > 0 && !paired ? "hedges_g" : "d_z"] = number(effect) }
            if let superiority = comparison.superiority {
                members["p_superiority"] = ["p_left_greater": .number(superiority.value), "low": .number(superiority.low), "high": .number(superiority.high),
                                            "level": .number(comparison.level),
                                            "interval": .string(comparison.superiorityByDeLong ? "DeLong" : "percentile bootstrap")]
            }
            if let power = comparison.power { members["power"] = .number(power) }
            if let count = comparison.countForPower { members["n_for_power_0.8"] = .number(Double(count)) }
        }
        if let holm {
            members["holm"] = ["predictions": .number(Double(holm.count)), "adjusted_p": .number(holm.adjustedP), "alpha": .number(holm.level)]
        }
        if let sequential {
            members["sequential"] = ["e_value": number(sequential.evidence), "threshold": .number(sequential.threshold), "decision": .string(sequential.decision.rawValue)]
        }
        if let runsNeeded { members["runs_needed_per_side"] = .number(Double(runsNeeded)) }
        return .object(members)
    }

    /// The numbers as lines for a terminal: both sides with n, the margin, the difference with its
    /// one-sided bound, the test's statistic and both directions' p-values, then the groups, the
    /// intervals, the effect size, the probability of improvement, the power, Holm and the sequential test.
    public var lines: [String] {
        let number = Self.number
        guard let left else { return ["n = \(countLeft)" + (countRight > 0 ? " + \(countRight)" : "")] }
        var lines: [String] = []
        if prediction.versus != nil {
            lines.append("P(left \(prediction.versus!.below ? "<" : ">") right) = \(number(left)) (n=\(countLeft) + \(countRight))   compared with \(number(right ?? 0))")
        } else {
            let aggregate = prediction.left.aggregate.rawValue
            var sides = "left: \(aggregate) \(number(left)) (n=\(countLeft))"
            if case let .side(side, _) = prediction.right, let right {
                sides += "   right: \(side.aggregate.rawValue) \(number(right)) (n=\(countRight))"
                if margin != 0 { sides += "   margin: \(margin > 0 ? "+" : "−")\(number(abs(margin)))" }
            } else if let right {
                sides += "   compared with \(number(right))"
            }
            lines.append(sides)
        }
        let level = Int(((1 - alpha) * 100).rounded())
        if let evidence, let bound, let pStated, let pOpposite {
            let name = prediction.versus != nil ? "P − threshold" : (countRight > 0 ? "left − right" : "left − \(number(right ?? 0))")
            let shownDifference = evidence.difference + margin
            lines.append("\(name) = \(number(shownDifference)); one-sided \(level)% bound: \(name) \(decidingBelow ? "<" : ">") \(number(bound))")
            let stated = prediction.comparison.rawValue
            let opposite = prediction.comparison.expectsBelow ? ">" : "<"
            var statistic = "\(evidence.name)"
            if let t = evidence.t, let df = evidence.degreesOfFreedom {
                statistic = "t = \(t.isFinite ? String(format: "%.3g", t) : (t > 0 ? "∞" : "−∞")), df = \(String(format: "%.1f", df))"
            }
            lines.append("\(statistic); p(\(stated), as predicted) = \(PValueFormat.text(pStated, alpha: alpha)); " +
                         "p(\(opposite), the opposite) = \(PValueFormat.text(pOpposite, alpha: alpha))")
        }
        if let leftSummary {
            lines.append("groups: left \(leftSummary.text)" + (rightSummary.map { "; right \($0.text)" } ?? ""))
        }
        if let comparison, prediction.versus == nil {
            var intervals: [String] = []
            if let interval = comparison.tInterval { intervals.append("t [\(number(interval.low)), \(number(interval.high))]") }
            if let interval = comparison.bootstrapInterval {
                intervals.append("BCa bootstrap\(comparison.bootstrapExpansion != nil ? " (by expansion)" : "") [\(number(interval.low)), \(number(interval.high))]")
            }
            let aggregate = prediction.left.aggregate == .mean ? "" : " (\(prediction.left.aggregate.rawValue))"
            if !intervals.isEmpty { lines.append("\(level)% intervals on left − right\(aggregate): " + intervals.joined(separator: "; ")) }
            var effects: [String] = []
            if let effect = comparison.effectSize, effect.isFinite { effects.append("\(countRight > 0 && !paired ? "Hedges' g" : "d_z") = \(String(format: "%.3g", effect))") }
            if let superiority = superiorityInDirection {
                effects.append("\(superiority.name) = \(String(format: "%.3g", superiority.value)) (\(level)% [\(String(format: "%.3g", superiority.low)), \(String(format: "%.3g", superiority.high))])")
            }
            if !effects.isEmpty { lines.append(effects.joined(separator: "; ")) }
            if let power = comparison.power {
                let unit = paired ? "pairs" : (countRight > 0 ? "per group" : "runs")
                let size = paired ? "\(countLeft) pairs" : (countRight > 0 ? "\(min(countLeft, countRight))\(countLeft == countRight ? "" : "–\(max(countLeft, countRight))") per group" : "\(countLeft) runs")
                lines.append("power \(String(format: "%.2f", power)) with \(size) for the observed effect" +
                             (comparison.countForPower.map { "; \($0) \(unit) would give 0.8" } ?? ""))
            }
        }
        if let holm {
            lines.append("Holm over \(holm.count) predictions: adjusted p = \(PValueFormat.text(holm.adjustedP, alpha: alpha)) (α for this one: \(number(holm.level)))")
        }
        if let sequential {
            let value = sequential.evidence.isFinite ? number(sequential.evidence) : "∞"
            lines.append("sequential: e-value \(value) \(sequential.evidence >= sequential.threshold ? "≥" : "<") \(number(sequential.threshold)): \(sequential.decision.rawValue)")
        }
        return lines
    }
}
