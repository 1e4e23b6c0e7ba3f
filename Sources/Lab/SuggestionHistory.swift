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

    mutating func add(_ point: [String: TrialValue], _ experiment: ExperimentRecord) {
        let value = (experiment.run["status"]?.stringValue ?? "ok") == "ok" ? experiment.metrics[metric]?.numberValue : nil
        if value != nil { sawMetric = true }
        observations.append(Observation(parameters: point, loss: value.map { maximize ? -$0 : $0 } ?? .infinity))
        known.insert(point)
        if let value, best == nil || (maximize ? value > best!.value : value < best!.value) { best = (experiment.id.hex, value) }
    }
}
