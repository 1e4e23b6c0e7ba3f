import Foundation

/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl 2011), with Optuna's
/// defaults: random points until `startupTrials` observations exist; then the best
/// γ(n) = min(⌈0.1 n⌉, 25) observations form the "good" density l(x) and the rest the "bad" density
/// g(x), each parameter on its own (a Parzen estimator for numbers, smoothed frequencies for
/// categories); `candidates` draws from l(x) and the one with the largest l(x)/g(x) wins. Batches use
/// a constant liar: each point suggested counts as a bad observation before the next is drawn, so the
/// points of one batch differ. Seeded and deterministic: one generator gives one sequence.
public struct TPESampler: Sendable {
    public var startupTrials = 10
    public var candidates = 24
    public var priorWeight = 1.0

    public init() {}

    /// γ(n): how many of n observations count as good.
    public static func goodCount(_ n: Int) -> Int { min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    /// `count` new points for `space`, learning from `history`; never a point in `excluded` (tried up
    /// to 50 times per point, then the best candidate not excluded, else a random one).
    public func suggest<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], history: [Observation], count: Int,
                                                  excluded: Set<[String: TrialValue]> = [], generator: inout G) -> [[String: TrialValue]] {
        var observations = history
        var taken = excluded
        var points: [[String: TrialValue]] = []
        for _ in 0..<count {
            var point: [String: TrialValue] = [:]
            for _ in 0..<50 {
                point = observations.count < startupTrials ? Self.random(space, &generator) : sample(space, observations, &generator)
                if !taken.contains(point) { break }
                point = Self.random(space, &generator)
                if !taken.contains(point) { break }
            }
            points.append(point)
            taken.insert(point)
            // The constant liar: the pending point counts as the worst result so far.
            observations.append(Observation(parameters: point, loss: observations.map(\.loss).filter(\.isFinite).max() ?? .infinity))
        }
        return points
    }

    /// A point drawn uniformly (in the log space for log ranges).
    public static func random<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], _ generator: inout G) -> [String: TrialValue] {
        var point: [String: TrialValue] = [:]
        for (name, dimension) in space {
            switch dimension {
            case let .categories(names): point[name] = .category(names[Int.random(in: 0..<names.count, using: &generator)])
            case .number:
                let bounds = dimension.internalBounds!
                point[name] = .number(dimension.external(Double.random(in: bounds.low...bounds.high, using: &generator)))
            }
        }
        return point
    }

    func sample<G: RandomNumberGenerator>(_ space: [(String, SearchDimension)], _ observations: [Observation], _ generator: inout G) -> [String: TrialValue] {
        // Ties keep their order: the split is the same whatever order equal losses came in.
        let sorted = observations.enumerated().sorted { ($0.element.loss, $0.offset) < ($1.element.loss, $1.offset) }.map(\.element)
        let good = Array(sorted.prefix(Self.goodCount(sorted.count))), bad = Array(sorted.dropFirst(Self.goodCount(sorted.count)))
        var point: [String: TrialValue] = [:]
        for (name, dimension) in space {
            switch dimension {
            case let .categories(names):
                let l = frequencies(names, good.compactMap { $0.parameters[name] }), g = frequencies(names, bad.compactMap { $0.parameters[name] })
                var best: (score: Double, index: Int)? = nil
                for _ in 0..<candidates {
                    var pick = Double.random(in: 0..<1, using: &generator), index = 0
                    while index < l.count - 1, pick >= l[index] { pick -= l[index]; index += 1 }
                    let score = log(l[index]) - log(g[index])
                    if best == nil || score > best!.score { best = (score, index) }
                }
                point[name] = .category(names[best!.index])
            case .number:
                let bounds = dimension.internalBounds!
                func values(_ group: [Observation]) -> [Double] {
                    group.compactMap { observation in
                        if case let .number(value) = observation.parameters[name] { return dimension.internal(value) }
                        return nil
                    }
                }
                let l = ParzenEstimator(observations: values(good), low: bounds.low, high: bounds.high, priorWeight: priorWeight)
                let g = ParzenEstimator(observations: values(bad), low: bounds.low, high: bounds.high, priorWeight: priorWeight)
                var best: (score: Double, value: Double)? = nil
                for _ in 0..<candidates {
                    let x = l.sample(&generator)
                    let score = l.logDensity(x) - g.logDensity(x)
                    if best == nil || score > best!.score { best = (score, x) }
                }
                point[name] = .number(dimension.external(best!.value))
            }
        }
        return point
    }

    /// Category probabilities: counts plus the prior weight spread evenly, normalised.
    func frequencies(_ names: [String], _ values: [TrialValue]) -> [Double] {
        var counts = [Double](repeating: priorWeight / Double(names.count), count: names.count)
        for value in values {
            if case let .category(name) = value, let index = names.firstIndex(of: name) { counts[index] += 1 }
        }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }
}
