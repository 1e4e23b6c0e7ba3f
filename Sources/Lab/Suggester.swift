import Foundation
import Journal
import JournalStore
import Training
import Tuning

/// `xj suggest`: the next points of a search, learned by a Gaussian process (Bayesian optimisation,
/// Decisions/0018) from every comparable run the journal
/// has recorded (all lines of inquiry, remote-tracking refs and the stage, through the run index).
/// Comparable: the same dataset object, model and trainer version, and the same values for every
/// parameter the search holds fixed. Failed and diverged runs count as the worst result. A suggested
/// point whose run key is already recorded is never returned.
public struct Suggester {
    public struct Search: Sendable {
        /// The ranges searched (`lr=1e-4:1e-1:log`, `hidden=16..512:log`, `optimizer=adam,sgd`).
        public let dimensions: [(String, SearchDimension)]
        /// The categories' values, by dimension and category name.
        public let categoryValues: [String: [String: JSONValue]]
        /// Parameters held fixed (`epochs=10`).
        public let fixed: [String: JSONValue]

        /// The fixed parameters and a point's values, as a run takes them.
        public func parameters(for point: [String: TrialValue]) -> [String: JSONValue] {
            var parameters = fixed
            for (key, value) in point {
                switch value {
                case let .number(number): parameters[key] = .number(number)
                case let .category(name): parameters[key] = categoryValues[key]?[name] ?? .string(name)
                }
            }
            return parameters
        }

        /// The ranges' two ends (each number at its low bound, then at its high one; categories first,
        /// then last): points a search can draw, so a bound the trainer refuses is named as written.
        public var ends: [[String: TrialValue]] {
            [true, false].map { low in
                Dictionary(uniqueKeysWithValues: dimensions.map { name, dimension -> (String, TrialValue) in
                    switch dimension {
                    case let .number(lower, upper, _, _): return (name, .number(low ? lower : upper))
                    case let .categories(names): return (name, .category(low ? names.first! : names.last!))
                    }
                })
            }
        }
    }

    public struct Suggestion: Sendable {
        public let parameters: [String: JSONValue]
        public let runKey: TreeID
        /// What the model fitted to the comparable runs expects of the point, in the metric's units
        /// (nil during the random start-up): why it was suggested.
        public var prediction: LossPrediction?
    }

    public struct Outcome: Sendable {
        public let suggestions: [Suggestion]
        /// How many comparable runs were learned from, and the best of them.
        public let comparable: Int
        public let best: (experiment: String, value: Double)?
        /// Comparable-looking runs left out, with why (another dataset, trainer, fixed value…).
        public let excluded: Int
        /// "random start-up" until enough runs exist, else "Gaussian process" ("warm start" with `--from-similar`).
        public let method: String
        /// With `fromSimilar`: the datasets whose best runs started the search, with their similarity.
        public var borrowed: [(name: String, similarity: Double, runs: Int)] = []
    }

    public let journal: LabJournal
    public init(journal: LabJournal) { self.journal = journal }

    /// Parses `key=spec` arguments: `lo..hi` and `lo..hi:log` whole numbers, `lo:hi` and `lo:hi:log`
    /// numbers, `a,b,c` categories, one value a fixed parameter.
    /// - Throws: `LabError.invalidParameter` naming the key for an empty or inverted range.
    public static func search(_ assignments: [String]) throws -> Search {
        var dimensions: [(String, SearchDimension)] = []
        var categoryValues: [String: [String: JSONValue]] = [:]
        var fixed: [String: JSONValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw LabError.invalidParameter(key: assignment, message: "expected key=range, key=a,b,c or key=value")
            }
            let key = String(assignment[..<equals]), spec = String(assignment[assignment.index(after: equals)...])
            guard !dimensions.contains(where: { $0.0 == key }), fixed[key] == nil else { throw LabError.invalidParameter(key: key, message: "given more than once") }
            var text = spec
            let logarithmic = text.hasSuffix(":log") && text.contains("..")
            if logarithmic { text.removeLast(4) }
            if let dots = text.range(of: ".."), let low = Int(text[..<dots.lowerBound]), let high = Int(text[dots.upperBound...]) {
                guard low < high else { throw LabError.invalidParameter(key: key, message: "the range \(spec) needs lo < hi") }
                guard !logarithmic || low > 0 else { throw LabError.invalidParameter(key: key, message: "a log range needs lo > 0, got \(spec)") }
                dimensions.append((key, .number(low: Double(low), high: Double(high), logarithmic: logarithmic, whole: true)))
                continue
            }
            switch try GridAxis.parse(spec, key: key) {
            case let .range(low, high, logarithmic, whole):
                dimensions.append((key, .number(low: low, high: high, logarithmic: logarithmic, whole: whole)))
            case let .values(values) where values.count == 1:
                fixed[key] = values[0]
            case let .values(values):
                var names: [String: JSONValue] = [:]
                for value in values { names[CanonicalJSON.string(value)] = value }
                guard names.count == values.count else { throw LabError.invalidParameter(key: key, message: "lists a value twice") }
                dimensions.append((key, .categories(values.map(CanonicalJSON.string))))
                categoryValues[key] = names
            }
        }
        guard !dimensions.isEmpty else { throw LabError.invalidParameter(key: "ranges", message: "nothing to search: give at least one range (lr=1e-4:1e-1:log) or list (optimizer=adam,sgd)") }
        return Search(dimensions: dimensions, categoryValues: categoryValues, fixed: fixed)
    }

    /// `count` points for `search` on `dataset` with `model`, minimising `metric` (or maximising).
    /// - Throws: `LabError` for a parameter the model refuses (checked on a first point before anything
    ///   else) or a metric no comparable run records.
    /// - Parameter fromSimilar: while fewer comparable runs than the sampler's start-up exist, start from the best
    ///   configurations of the `fromSimilar` most similar datasets (by `DatasetMetaFeatures`) that have runs
    ///   of this model, instead of random points (a warm start, as auto-sklearn's meta-learning).
    public func suggest(_ search: Search, dataset: String, validation: String?, model: String, metric: String, maximize: Bool,
                        count: Int, seed: UInt64, fromSimilar: Int? = nil) throws -> Outcome {
        let runner = TrainingRunner(journal: journal)
        func request(_ point: [String: TrialValue]) -> TrainRequest {
            TrainRequest(dataset: dataset, validation: validation, model: model, parameters: search.parameters(for: point))
        }
        // The ranges' ends and a first point, validated like training runs: a bad key, value or bound is
        // refused by name now, as the user wrote it.
        for end in search.ends { _ = try runner.prepare(request(end)) }
        var probe = SeededGenerator(seed: seed)
        let template = try runner.prepare(request(TPESampler.random(search.dimensions, &probe)))
        let (resolvedTemplate, datasetRecord) = (template.0.resolved, template.1)
        let searched = Set(search.dimensions.map(\.0))
        // A metric only another kind of data gives (accuracy on a regression target) would leave every run's
        // score empty: refused before a run is spent on it, or the journal read.
        if let kind = PredictionVocabulary.trainerMetric(metric, onlyForKindOtherThan: datasetRecord.manifest) {
            throw LabError.invalidParameter(key: "--metric", message: "xj train records `\(metric)` only on \(kind.many), and \(datasetRecord.name ?? dataset) is "
                                            + "\(PredictionVocabulary.kind(of: datasetRecord.manifest).one); val_loss suits every kind")
        }

        // History: every recorded experiment that computed the same thing but for the searched parameters.
        var history = SuggestionHistory(metric: metric, maximize: maximize)
        // Runs of this model on other datasets, for --from-similar: (dataset, point, value).
        var elsewhere: [TreeID: [([String: TrialValue], Double)]] = [:]
        var recordedAnywhere = PredictionVocabulary.trainerMetrics.contains(metric)
        try forEachRecordedExperiment { experiment in
            if experiment.metrics[metric] != nil { recordedAnywhere = true }
            if fromSimilar != nil, let other = experiment.datasetID, other != datasetRecord.id, experiment.params["model"] == .string(model),
               (experiment.run["status"]?.stringValue ?? "ok") == "ok", let value = experiment.metrics[metric]?.numberValue,
               let point = Self.point(experiment.params, in: search) {
                elsewhere[other, default: []].append((point, value))
            }
            let comparable = try experiment.datasetID == datasetRecord.id && experiment.params["model"] == .string(model)
                && trainer(of: experiment) == CanonicalJSON.bytes(TrainerVersion.json)
                // Seeds tell replicates apart: runs that differ only in them are observations of one configuration.
                && resolvedTemplate.allSatisfy({ key, value in searched.contains(key) || VerdictEvaluator.replicateKeys.contains(key)
                                                 || experiment.params[key] == nil || experiment.params[key] == value })
            history.consider(experiment, in: search, comparable: comparable)
        }
        // A name neither the trainer nor any run records is a typo: refused before a run is spent on it.
        if !recordedAnywhere || (!history.observations.isEmpty && !history.sawMetric) {
            let nearest = RecordNames.nearest(to: metric, among: Array(PredictionVocabulary.trainerMetrics).sorted())
            throw LabError.invalidParameter(key: "--metric", message: (recordedAnywhere ? "no comparable run records `\(metric)`" : "neither xj train nor any experiment here records `\(metric)`")
                                            + (nearest.map { "; did you mean `\($0)`?" } ?? ""))
        }
        let sampler = GPSampler()
        // A warm start: the best points of the most similar datasets come first, while the sampler would still be random.
        var warm: [[String: TrialValue]] = []
        var borrowed: [(name: String, similarity: Double, runs: Int)] = []
        if let k = fromSimilar, history.observations.count < sampler.startupTrials, !elsewhere.isEmpty {
            let names = try journal.workingState().map { try journal.datasetNames(in: $0) } ?? [:]
            let candidates = elsewhere.keys.sorted { $0.hex < $1.hex }
            let features = try candidates.map { DatasetMetaFeatures(try journal.dataset($0, name: names[$0]).manifest) }
            let similarity = DatasetMetaFeatures.similarities(of: DatasetMetaFeatures(datasetRecord.manifest), to: features)
            let chosen = candidates.indices.sorted { (similarity[$0], candidates[$0].hex) > (similarity[$1], candidates[$1].hex) }.prefix(k)
            var ranked: [[[String: TrialValue]]] = []
            for index in chosen {
                let runs = elsewhere[candidates[index]]!.sorted { maximize ? $0.1 > $1.1 : $0.1 < $1.1 }
                borrowed.append((names[candidates[index]] ?? candidates[index].short, similarity[index], runs.count))
                ranked.append(runs.map(\.0))
            }
            // Interleave: the best of each similar dataset, then the second best of each, …
            for rank in 0..<(ranked.map(\.count).max() ?? 0) {
                for list in ranked where rank < list.count && !warm.contains(list[rank]) { warm.append(list[rank]) }
            }
        }
        let comparable = history.observations.count
        let suggestions = try draw(search, history: &history, count: count, seed: seed, warm: warm) { try runner.prepare(request($0)).3 }
        var outcome = Outcome(suggestions: suggestions, comparable: comparable, best: history.best, excluded: history.excluded,
                              method: comparable >= sampler.startupTrials ? Self.modelled
                                : (borrowed.isEmpty ? Self.startup : "warm start from similar datasets"))
        outcome.borrowed = borrowed
        return outcome
    }

    /// `xj suggest --for 'xj run …'`: points for a program recorded by `xj run`. Comparable runs have the
    /// same command, runner, input files and code tree (everything but the parameters), exactly the
    /// searched and fixed parameters, and the fixed values. A point whose run key is recorded is never returned.
    public func suggest(_ search: Search, program: ProgramRequest, metric: String, maximize: Bool, count: Int, seed: UInt64) throws -> Outcome {
        let runner = ProgramRunner(journal: journal)
        func request(_ point: [String: TrialValue]) -> ProgramRequest {
            var request = program
            request.parameters = search.parameters(for: point)
            return request
        }
        let fixedInputs = try runner.fixedInputs(program)
        let keys = Set(search.dimensions.map(\.0)).union(search.fixed.keys)
        var history = SuggestionHistory(metric: metric, maximize: maximize)
        try forEachRecordedExperiment { experiment in
            let inputs = Dictionary(try journal.repository.tree(experiment.runKey).filter { $0.name != "params.json" }.map { ($0.name, $0.id) }) { first, _ in first }
            history.consider(experiment, in: search, comparable: experiment.command != nil && inputs == fixedInputs && Set(experiment.params.keys) == keys)
        }
        if !history.observations.isEmpty && !history.sawMetric {
            throw LabError.invalidParameter(key: "--metric", message: "no comparable run of `\(program.argv.joined(separator: " "))` records `\(metric)`")
        }
        let comparable = history.observations.count
        let suggestions = try draw(search, history: &history, count: count, seed: seed, warm: []) { try runner.runKey(request($0)) }
        return Outcome(suggestions: suggestions, comparable: comparable, best: history.best, excluded: history.excluded,
                       method: comparable >= Self.startupTrials ? Self.modelled : Self.startup)
    }

    static let modelled = "Gaussian process"
    /// Comparable runs before the Gaussian process takes over from random start-up points.
    public static let startupTrials = GPSampler().startupTrials
    static let startup = "random start-up (\(Self.startupTrials) runs before the Gaussian process)"

    /// `count` new points: the warm-start points first, then the sampler's, never a point already run nor one
    /// whose run key (`runKey`) is recorded or already in the batch; each pending point joins the model
    /// with its own prediction as its result (the kriging believer), so the batch's points differ.
    func draw(_ search: Search, history: inout SuggestionHistory, count: Int, seed: UInt64, warm: [[String: TrialValue]],
              runKey: ([String: TrialValue]) throws -> TreeID) throws -> [Suggestion] {
        var generator = SeededGenerator(seed: seed &+ UInt64(history.observations.count))
        // Fitted once for the batch: the pending points are believed, not refitted.
        let model = GPSampler().fit(search.dimensions, history: history.observations)
        var suggestions: [Suggestion] = []
        var pending: [[String: TrialValue]] = []
        var avoid = history.known
        var attempts = 0
        let index = RunIndex(journal: journal)
        while suggestions.count < count && attempts < count * 20 {
            attempts += 1
            let point = warm.first { !avoid.contains($0) }
                ?? model?.next(pending: pending, taken: avoid, generator: &generator) ?? GPSampler.random(search.dimensions, avoiding: avoid, &generator)
            avoid.insert(point)
            let key = try runKey(point)
            // A point whose run key is recorded (another spelling of a known run) is never suggested.
            guard try index.recordedExperiments(runKey: key.object).isEmpty, !suggestions.contains(where: { $0.runKey == key }) else { continue }
            suggestions.append(Suggestion(parameters: search.parameters(for: point), runKey: key))
            pending.append(point)
        }
        if let predictions = model?.predictions(pending) {
            for index in suggestions.indices {
                suggestions[index].prediction = history.maximize ? predictions[index]?.negated : predictions[index]
            }
        }
        return suggestions
    }

    /// A run's values of the searched parameters, when it has them all (and, with `withinRanges`, inside
    /// the search's ranges and lists).
    static func point(_ params: [String: JSONValue], in search: Search, withinRanges: Bool = true) -> [String: TrialValue]? {
        var point: [String: TrialValue] = [:]
        for (key, dimension) in search.dimensions {
            guard let value = params[key] else { return nil }
            switch dimension {
            case let .number(low, high, _, _):
                guard let number = value.numberValue ?? value.arrayValue?.first?.numberValue, !withinRanges || (number >= low && number <= high) else { return nil }
                point[key] = .number(number)
            case let .categories(names):
                let name = CanonicalJSON.string(value)
                guard !withinRanges || names.contains(name) else { return nil }
                point[key] = .category(name)
            }
        }
        return point
    }

    /// Every experiment the run index lists (any line of inquiry, remote-tracking ref or the stage), once each.
    func forEachRecordedExperiment(_ visit: (ExperimentRecord) throws -> Void) throws {
        var seen: Set<ObjectID> = []
        for entry in try RunIndex(journal: journal).allEntries() where seen.insert(entry.experiment).inserted {
            try visit(try journal.experiment(TreeID(entry.experiment)))
        }
    }

    /// The canonical bytes of an experiment's `inputs/trainer.json` (nil for `xj run` experiments).
    func trainer(of experiment: ExperimentRecord) throws -> [UInt8]? {
        guard let entry = try journal.repository.entry(at: "inputs/trainer.json", in: experiment.id) else { return nil }
        return CanonicalJSON.bytes(try JSONParser.parse(try journal.repository.blob(BlobID(entry.id)), source: "inputs/trainer.json"))
    }
}

