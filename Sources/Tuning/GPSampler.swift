import Foundation

/// Bayesian optimisation with a Gaussian process (as Optuna's `GPSampler`): random points until
/// `startupTrials` observations exist; then a Matérn-5/2 process with one length scale per parameter
/// is fitted to the losses (log-scaled when all are positive, outliers capped at Tukey's upper fence,
/// standardised; failed runs count as the worst), and the next point is the one of largest expected
/// improvement, found among random points, perturbations of the best observations and a pattern
/// search from the most promising of them. Batches use the "kriging believer": each pending point
/// joins the data with the model's own prediction as its result, which removes the improvement
/// expected around it, so the points of one batch differ. Seeded and deterministic.
public struct GPSampler: Sendable {
    public var startupTrials = 10
    /// The most observations the process is fitted to: the best half and the latest others.
    public var maximumObservations = 240

    public init() {}

    /// `count` new points for `space`, learning from `history`, with `pending` points (suggested, not
    /// yet run) believed to give the model's prediction; never a point in `excluded` or `pending`.
    public func suggest<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], history: [Observation], pending: [[String: TrialValue]] = [],
                                                  count: Int, excluded: Set<[String: TrialValue]> = [], generator: inout G) -> [[String: TrialValue]] {
        var taken = excluded.union(pending)
        var believed = pending
        var points: [[String: TrialValue]] = []
        let usable = history.filter { Self.encode($0.parameters, space) != nil }
        for _ in 0..<count {
            var point: [String: TrialValue]
            if usable.count + believed.count < startupTrials || usable.allSatisfy({ !$0.loss.isFinite }) {
                point = TPESampler.random(space, &generator)
                for _ in 0..<50 where taken.contains(point) { point = TPESampler.random(space, &generator) }
            } else {
                point = best(space, usable, believed, taken, &generator)
            }
            points.append(point)
            taken.insert(point)
            believed.append(point)
        }
        return points
    }

    /// What the process fitted to `history` expects of each of `points`, in the loss's units; nil while
    /// the start-up lasts or no run has a finite loss.
    public func predictions(_ space: [(String, SearchDimension)], history: [Observation], points: [[String: TrialValue]]) -> [LossPrediction?]? {
        let usable = history.filter { Self.encode($0.parameters, space) != nil }
        guard usable.count >= startupTrials, let best = usable.map(\.loss).filter(\.isFinite).min() else { return nil }
        let observations = selected(usable)
        let scale = LossScale(observations.map(\.loss))
        let model = GaussianProcess(inputs: observations.map { Self.encode($0.parameters, space)! }, targets: observations.map { scale.scaled($0.loss) },
                                    categorical: Self.categorical(space))
        return points.map { point in
            Self.encode(point, space).map { x in
                let (mean, variance) = model.predict(x)
                return scale.prediction(mean: mean, sd: variance.squareRoot(), best: best)
            }
        }
    }

    static func categorical(_ space: [(String, SearchDimension)]) -> [Bool] {
        space.map { if case .categories = $0.1 { return true } else { return false } }
    }

    /// The point of largest expected improvement not in `taken` (a random one if every candidate is).
    func best<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], _ history: [Observation], _ pending: [[String: TrialValue]],
                                        _ taken: Set<[String: TrialValue]>, _ generator: inout G) -> [String: TrialValue] {
        let categorical = Self.categorical(space)
        let observations = selected(history)
        let inputs = observations.map { Self.encode($0.parameters, space)! }
        let targets = Self.standardised(observations.map(\.loss))
        var model = GaussianProcess(inputs: inputs, targets: targets, categorical: categorical)
        // The kriging believer: pending points join with the fitted model's prediction as their target.
        let believed = pending.compactMap { Self.encode($0, space) }
        if !believed.isEmpty {
            var allInputs = inputs, allTargets = targets
            for (count, x) in believed.enumerated() {
                allTargets.append(model.predict(x).mean)
                allInputs.append(x)
                model = GaussianProcess(inputs: allInputs, targets: allTargets, categorical: categorical, fixed: model.hyperparameters, believed: count + 1)
            }
        }
        // A believed result counts as achieved: no improvement is expected from merely matching it.
        let incumbent = model.targets.min()!
        func score(_ x: [Double]) -> Double {
            let (mean, variance) = model.predict(x)
            return Self.logExpectedImprovement(mean: mean, sd: variance.squareRoot(), best: incumbent)
        }
        let sizes = space.map { dimension -> Int in if case let .categories(names) = dimension.1 { return names.count } else { return 0 } }
        var candidates: [[Double]] = []
        for _ in 0..<1024 { candidates.append(sizes.map { $0 > 0 ? Double(Int.random(in: 0..<$0, using: &generator)) : Double.random(in: 0...1, using: &generator) }) }
        let ranked = inputs.indices.sorted { (targets[$0], $0) < (targets[$1], $1) }
        for index in ranked.prefix(8) {
            for scale in [0.02, 0.05, 0.1, 0.2] {
                for _ in 0..<16 {
                    candidates.append(zip(inputs[index], sizes).map { value, size in
                        if size > 0 { return Double.random(in: 0..<1, using: &generator) < 0.2 ? Double(Int.random(in: 0..<size, using: &generator)) : value }
                        return min(max(value + scale * Self.normal(&generator), 0), 1)
                    })
                }
            }
        }
        var scored = candidates.map { ($0, score($0)) }
        scored.sort { $0.1 > $1.1 }
        // A pattern search from the most promising candidates: a step along each axis, halved when none helps.
        var refined: [([Double], Double)] = []
        for (start, startScore) in scored.prefix(6) {
            var (x, value) = (start, startScore), step = 0.1
            while step >= 0.003 {
                var improved = false
                for d in sizes.indices {
                    let moves: [Double] = sizes[d] > 0 ? (0..<sizes[d]).map(Double.init) : [x[d] - step, x[d] + step].map { min(max($0, 0), 1) }
                    for move in moves where move != x[d] {
                        var trial = x
                        trial[d] = move
                        let trialValue = score(trial)
                        if trialValue > value { (x, value, improved) = (trial, trialValue, true) }
                    }
                }
                if !improved { step /= 2 }
            }
            refined.append((x, value))
        }
        for (x, _) in (refined + scored).sorted(by: { $0.1 > $1.1 }) {
            let point = Self.decode(x, space)
            if !taken.contains(point) { return point }
        }
        var point = TPESampler.random(space, &generator)
        for _ in 0..<50 where taken.contains(point) { point = TPESampler.random(space, &generator) }
        return point
    }

    /// At most `maximumObservations`: the best half of them and the most recent of the rest, in order.
    func selected(_ history: [Observation]) -> [Observation] {
        guard history.count > maximumObservations else { return history }
        let best = Set(history.indices.sorted { (history[$0].loss, $0) < (history[$1].loss, $1) }.prefix(maximumObservations / 2))
        let recent = history.indices.filter { !best.contains($0) }.suffix(maximumObservations - best.count)
        return history.indices.filter { best.contains($0) || recent.contains($0) }.map { history[$0] }
    }

    /// A point in the unit cube (a category as its index; a value outside the list as one more index),
    /// or nil when it lacks a parameter or a log-range value is not positive.
    static func encode(_ point: [String: TrialValue], _ space: [(String, SearchDimension)]) -> [Double]? {
        var x: [Double] = []
        for (name, dimension) in space {
            switch (dimension, point[name]) {
            case let (.categories(names), .category(value)?):
                x.append(Double(names.firstIndex(of: value) ?? names.count))
            case let (.number(_, _, logarithmic, _), .number(value)?):
                guard value.isFinite, !logarithmic || value > 0, let bounds = dimension.internalBounds else { return nil }
                x.append((dimension.internal(value) - bounds.low) / (bounds.high - bounds.low))
            default:
                return nil
            }
        }
        return x
    }

    static func decode(_ x: [Double], _ space: [(String, SearchDimension)]) -> [String: TrialValue] {
        var point: [String: TrialValue] = [:]
        for ((name, dimension), value) in zip(space, x) {
            switch dimension {
            case let .categories(names): point[name] = .category(names[min(max(Int(value), 0), names.count - 1)])
            case .number:
                let bounds = dimension.internalBounds!
                point[name] = .number(dimension.external(bounds.low + value * (bounds.high - bounds.low)))
            }
        }
        return point
    }

    /// Losses in the process's units (`LossScale`).
    static func standardised(_ losses: [Double]) -> [Double] {
        let scale = LossScale(losses)
        return losses.map(scale.scaled)
    }

    /// log E[max(best − f, 0)] for f ~ N(mean, sd²), stable far into the tail.
    static func logExpectedImprovement(mean: Double, sd: Double, best: Double) -> Double {
        let z = (best - mean) / sd
        if z > -6 {
            let value = z * 0.5 * erfc(-z / 2.0.squareRoot()) + exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            return log(max(value, 1e-300)) + log(sd)
        }
        // z Φ(z) + φ(z) ≈ φ(z) / z² as z → −∞.
        return -0.5 * z * z - 0.5 * log(2 * Double.pi) - 2 * log(-z) + log(sd)
    }

    static func normal<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
        let u = 1 - Double.random(in: 0..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
