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
    public var maximumObservations = 150

    public init() {}

    /// `count` new points for `space`, learning from `history`, with `pending` points (suggested, not
    /// yet run) believed to give the model's prediction; never a point in `excluded` or `pending`.
    public func suggest<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], history: [Observation], pending: [[String: TrialValue]] = [],
                                                  count: Int, excluded: Set<[String: TrialValue]> = [], generator: inout G) -> [[String: TrialValue]] {
        let model = fit(space, history: history)
        var taken = excluded.union(pending)
        var believed = pending
        var points: [[String: TrialValue]] = []
        for _ in 0..<count {
            let point = model?.next(pending: believed, taken: taken, generator: &generator) ?? Self.random(space, avoiding: taken, &generator)
            points.append(point)
            taken.insert(point)
            believed.append(point)
        }
        return points
    }

    /// The process fitted to `history` (its best half and latest others, at most `maximumObservations`),
    /// or nil while fewer than `startupTrials` runs with these parameters exist or none has a finite loss.
    /// Fit once, it serves a whole batch.
    public func fit(_ space: [(String, SearchDimension)], history: [Observation]) -> GPSearchModel? {
        let usable = history.filter { Self.encode($0.parameters, space) != nil }
        guard usable.count >= startupTrials, usable.contains(where: { $0.loss.isFinite }) else { return nil }
        return GPSearchModel(space: space, observations: selected(usable))
    }

    /// A random point not in `taken` (tried 50 times).
    public static func random<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], avoiding taken: Set<[String: TrialValue]>, _ generator: inout G) -> [String: TrialValue] {
        var point = TPESampler.random(space, &generator)
        for _ in 0..<50 where taken.contains(point) { point = TPESampler.random(space, &generator) }
        return point
    }

    static func categorical(_ space: [(String, SearchDimension)]) -> [Bool] {
        space.map { if case .categories = $0.1 { return true } else { return false } }
    }

    static func whole(_ space: [(String, SearchDimension)]) -> [Bool] {
        space.map { if case .number(_, _, _, true) = $0.1 { return true } else { return false } }
    }

    /// A number of a range as its place in the unit cube.
    static func encodedNumber(_ value: Double, _ dimension: SearchDimension) -> Double {
        let bounds = dimension.internalBounds!
        return (dimension.internal(value) - bounds.low) / (bounds.high - bounds.low)
    }

    /// A place in the unit cube as the range's internal (log or linear) value.
    static func decodedInternal(_ x: Double, _ dimension: SearchDimension) -> Double {
        let bounds = dimension.internalBounds!
        return bounds.low + x * (bounds.high - bounds.low)
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
                guard value.isFinite, !logarithmic || value > 0 else { return nil }
                x.append(encodedNumber(value, dimension))
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
                point[name] = .number(dimension.external(decodedInternal(value, dimension)))
            }
        }
        return point
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
