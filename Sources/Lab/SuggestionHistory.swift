import Journal
import Tuning

/// What a search learns from: the comparable runs' points and losses (the metric, negated when
/// maximised; failed and diverged runs count as the worst), the points already run, the best value
/// and how many recorded runs were not comparable.
struct SuggestionHistory {
    let metric: String
    let maximize: Bool
    var observations: [Observation] = []
    var known: Set<[String: TrialValue]> = []
    var excluded = 0
    var best: (experiment: String, value: Double)?
    /// Whether any comparable run records the metric (else asking for it is a mistake).
    var sawMetric = false

    init(metric: String, maximize: Bool) {
        self.metric = metric
        self.maximize = maximize
    }

    /// Learns from `experiment` when it is `comparable`, has the search's fixed values and every searched
    /// parameter (runs outside the ranges still teach where the good region is); else counts it as excluded.
    mutating func consider(_ experiment: ExperimentRecord, in search: Suggester.Search, comparable: Bool) {
        guard comparable, search.fixed.allSatisfy({ key, value in VerdictEvaluator.matches(experiment.params[key], value) }),
              let point = Suggester.point(experiment.params, in: search, withinRanges: false) else {
            excluded += 1
            return
        }
        add(point, experiment)
    }

    mutating func add(_ point: [String: TrialValue], _ experiment: ExperimentRecord) {
        let value = (experiment.run["status"]?.stringValue ?? "ok") == "ok" ? experiment.metrics[metric]?.numberValue : nil
        if value != nil { sawMetric = true }
        observations.append(Observation(parameters: point, loss: value.map { maximize ? -$0 : $0 } ?? .infinity))
        known.insert(point)
        if let value, best == nil || (maximize ? value > best!.value : value < best!.value) { best = (experiment.id.hex, value) }
    }
}
