import Foundation

/// A Gaussian process fitted to one search's runs (`GPSampler.fit`): the next point of largest expected
/// improvement, and what the process expects of any point, in the loss's units.
public struct GPSearchModel {
    let space: [(String, SearchDimension)]
    let inputs: [[Double]]
    let targets: [Double]
    let scale: LossScale
    let process: GaussianProcess
    /// The best finite loss observed.
    let best: Double

    init(space: [(String, SearchDimension)], observations: [Observation]) {
        let inputs = observations.map { GPSampler.encode($0.parameters, space)! }
        let scale = LossScale(observations.map(\.loss))
        let targets = observations.map { scale.scaled($0.loss) }
        (self.space, self.inputs, self.scale, self.targets) = (space, inputs, scale, targets)
        process = GaussianProcess(inputs: inputs, targets: targets, categorical: GPSampler.categorical(space), whole: GPSampler.whole(space))
        best = observations.map(\.loss).filter(\.isFinite).min() ?? .infinity
    }

    /// The least distance, in the unit cube, between two points of one batch.
    static let batchSpacing = 0.05

    /// What the process expects of each point (nil for a point lacking a parameter), noise included:
    /// the prediction is of the result a run will record.
    public func predictions(_ points: [[String: TrialValue]]) -> [LossPrediction?] {
        points.map { point in
            GPSampler.encode(point, space).map { x in
                let (mean, variance) = process.predict(x)
                return scale.prediction(mean: mean, sd: (variance + process.noise).squareRoot(), best: best)
            }
        }
    }

    /// `x` with each whole dimension at the exact value its whole number encodes to.
    func wholeSnapped(_ x: [Double]) -> [Double] {
        guard process.whole.contains(true) else { return x }
        var result = x
        for d in space.indices where process.whole[d] {
            result[d] = GPSampler.encodedNumber(wholeNumber(x, d), space[d].1)
        }
        return result
    }

    /// The whole number `x` decodes to in dimension `d`.
    func wholeNumber(_ x: [Double], _ d: Int) -> Double {
        space[d].1.external(GPSampler.decodedInternal(x[d], space[d].1))
    }

    /// The encoded values of the whole numbers one below and one above `x`'s in dimension `d`.
    func wholeNeighbours(_ x: [Double], _ d: Int) -> [Double] {
        let dimension = space[d].1, value = wholeNumber(x, d)
        guard case let .number(low, high, _, _) = dimension else { return [] }
        return [value - 1, value + 1].filter { $0 >= low && $0 <= high }.map { GPSampler.encodedNumber($0, dimension) }
    }

    /// The point of largest expected improvement not in `taken` (a random one if every candidate is),
    /// with `pending` points believed to give the process's own prediction (the kriging believer).
    public func next<G: RandomNumberGenerator>(pending: [[String: TrialValue]], taken: Set<[String: TrialValue]>, generator: inout G) -> [String: TrialValue] {
        var model = process
        let believed = pending.compactMap { GPSampler.encode($0, space) }
        if !believed.isEmpty {
            var allInputs = inputs, allTargets = targets
            for (count, x) in believed.enumerated() {
                allTargets.append(model.predict(x).mean)
                allInputs.append(x)
                model = GaussianProcess(inputs: allInputs, targets: allTargets, categorical: process.categorical, whole: process.whole,
                                          fixed: process.hyperparameters, believed: count + 1)
            }
        }
        // A believed result counts as achieved: no improvement is expected from merely matching it.
        let incumbent = model.targets.min()!
        // The improvement expected of the run's own result, noise included: a run records one draw, and
        // where results scatter, more draws from a good region are how a better one is found.
        let noise = model.noise
        func score(_ x: [Double]) -> Double {
            let (mean, variance) = model.predict(x)
            return GPSampler.logExpectedImprovement(mean: mean, sd: (variance + noise).squareRoot(), best: incumbent)
        }
        let sizes = space.map { dimension -> Int in if case let .categories(names) = dimension.1 { return names.count } else { return 0 } }
        let whole = process.whole
        var candidates: [[Double]] = []
        for _ in 0..<1024 { candidates.append(sizes.map { $0 > 0 ? Double(Int.random(in: 0..<$0, using: &generator)) : Double.random(in: 0...1, using: &generator) }) }
        let ranked = inputs.indices.sorted { (targets[$0], $0) < (targets[$1], $1) }
        for index in ranked.prefix(8) {
            for step in [0.02, 0.05, 0.1, 0.2] {
                // Half of them keep the run's whole numbers: its luck, if any, goes with them.
                for attempt in 0..<16 {
                    candidates.append(zip(inputs[index], zip(sizes, whole)).map { value, kind in
                        if kind.0 > 0 { return Double.random(in: 0..<1, using: &generator) < 0.2 ? Double(Int.random(in: 0..<kind.0, using: &generator)) : value }
                        if kind.1 && attempt % 2 == 0 { return value }
                        return min(max(value + step * GPSampler.normal(&generator), 0), 1)
                    })
                }
            }
        }
        // A whole dimension's value as the point it decodes to, so that the shared variance knows it.
        candidates = candidates.map(wholeSnapped)
        var scored = candidates.map { ($0, score($0)) }
        scored.sort { $0.1 > $1.1 }
        // A pattern search from the most promising candidates: a step along each axis, halved when none helps.
        var refined: [([Double], Double)] = []
        for (start, startScore) in scored.prefix(6) {
            var (x, value) = (start, startScore), step = 0.1
            while step >= 0.003 {
                var improved = false
                for d in sizes.indices {
                    let moves: [Double] = sizes[d] > 0 ? (0..<sizes[d]).map(Double.init)
                        : whole[d] ? wholeNeighbours(x, d) : [x[d] - step, x[d] + step].map { min(max($0, 0), 1) }
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
        // A run's result is a function of its parameters: a point next to a pending one would mostly
        // repeat it, so the points of one batch keep a distance (when any candidate can).
        func apart(_ x: [Double]) -> Bool {
            believed.allSatisfy { other in
                var squared = 0.0
                for d in sizes.indices {
                    if sizes[d] > 0 { if x[d] != other[d] { return true } } else { squared += (x[d] - other[d]) * (x[d] - other[d]) }
                }
                return squared >= Self.batchSpacing * Self.batchSpacing
            }
        }
        let ordered = (refined + scored).sorted(by: { $0.1 > $1.1 })
        for (x, _) in ordered.filter({ apart($0.0) }) + ordered {
            let point = GPSampler.decode(x, space)
            if !taken.contains(point) { return point }
        }
        return GPSampler.random(space, avoiding: taken, &generator)
    }
}
