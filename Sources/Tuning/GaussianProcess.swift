import Foundation

/// A Gaussian process over points of the unit cube (categories as their index), with a Matérn-5/2
/// kernel: one length scale per dimension (a category contributes 1/ℓ² when two points differ), a
/// signal variance and a noise variance, all fitted by maximising the marginal likelihood times weak
/// log-normal priors (a penalised maximum likelihood, as Optuna's GP sampler does). Targets are
/// expected standardised. Pure and deterministic.
///
/// When some dimensions are whole numbers, points that agree on all of them share one more variance,
/// still smooth in the other dimensions: a network's width or depth decides how its initial weights are
/// drawn, so the luck of one width is kept by every run of that width and by no other (Decisions/0022).
/// Without it, that luck looks like noise, and a good run's width is never tried again.
struct GaussianProcess {
    let inputs: [[Double]]
    let categorical: [Bool]
    /// The dimensions that hold whole numbers.
    let whole: [Bool]
    /// log ℓ for each dimension, then log signal variance, then log noise variance, then (when a
    /// dimension is whole) the log variance shared by points of the same whole numbers.
    let hyperparameters: [Double]
    let targets: [Double]
    /// The lower Cholesky factor of K + σ²I, row-major, and (K + σ²I)⁻¹ y.
    private let factor: [Double]
    private let alpha: [Double]

    /// Bounds of the log hyperparameters: length scales 0.01…20, signal variance 0.05…20, noise 10⁻⁶…1,
    /// the same-whole-numbers variance 10⁻⁴…5.
    static func bounds(dimensions: Int, sharing: Bool) -> [(Double, Double)] {
        [(Double, Double)](repeating: (log(0.01), log(20)), count: dimensions) + [(log(0.05), log(20)), (log(1e-6), log(1))]
            + (sharing ? [(log(1e-4), log(5))] : [])
    }

    /// The prior's centre and spread of each log hyperparameter. Until points share whole numbers, the
    /// shared variance and the noise explain the same scatter; the prior leans to the shared variance,
    /// so a lucky run's whole numbers are tried again, and those tries then settle which it was.
    static func prior(dimensions: Int, sharing: Bool) -> [(mean: Double, sd: Double)] {
        [(mean: Double, sd: Double)](repeating: (log(0.5), 1), count: dimensions) + [(0, 1), (log(1e-2), 1.5)]
            + (sharing ? [(log(0.3), 1.5)] : [])
    }

    /// Fits the hyperparameters to `targets` at `inputs` (Nelder–Mead from two starts), or uses `fixed`.
    /// The last `believed` inputs are believed rather than observed: they get no noise term, so the
    /// process is sure of them and looks elsewhere.
    init(inputs: [[Double]], targets: [Double], categorical: [Bool], whole: [Bool]? = nil, fixed: [Double]? = nil, believed: Int = 0) {
        let dimensions = categorical.count
        let whole = whole ?? [Bool](repeating: false, count: dimensions)
        let sharing = whole.contains(true)
        // Each pair's per-dimension squared difference (a category: 0 or 1), computed once for every
        // likelihood the fit evaluates.
        let differences = Self.differences(inputs, categorical, whole: whole)
        var chosen = fixed ?? []
        if fixed == nil {
            let objective = { (theta: [Double]) -> Double in
                Self.penalisedNegativeLogLikelihood(theta, differences: differences, targets: targets, dimensions: dimensions, sharing: sharing)
            }
            var best: (point: [Double], value: Double)? = nil
            for start in [log(0.5), log(0.15)] {
                let initial = [Double](repeating: start, count: dimensions) + [0, log(1e-2)] + (sharing ? [log(0.3)] : [])
                let found = NelderMead.minimise(objective, from: initial, step: 0.7, evaluations: 100 * (initial.count))
                if best == nil || found.value < best!.value { best = found }
            }
            chosen = Self.clamped(best!.point, dimensions: dimensions, sharing: sharing)
        }
        self.inputs = inputs
        self.targets = targets
        self.categorical = categorical
        self.whole = whole
        self.hyperparameters = chosen
        let solved = Self.solve(chosen, differences: differences, targets: targets, dimensions: dimensions, believed: believed)
        factor = solved?.factor ?? []
        alpha = solved?.alpha ?? []
    }

    /// The fitted noise variance: how far one run's result scatters around the function.
    var noise: Double { exp(hyperparameters[categorical.count + 1]) }

    /// The fitted variance shared by runs of the same whole numbers (0 when no dimension is whole).
    var shared: Double { Self.sharedVariance(hyperparameters, dimensions: categorical.count) }

    /// The shared variance in `theta`'s layout: 0 when the space has no whole dimension.
    static func sharedVariance(_ theta: [Double], dimensions: Int) -> Double {
        theta.count > dimensions + 2 ? exp(theta[dimensions + 2]) : 0
    }

    /// The posterior mean and variance of the latent function at `x` (the prior's when the fit failed).
    func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let n = inputs.count
        let signal = exp(hyperparameters[categorical.count]) + shared
        guard !factor.isEmpty else { return (0, signal) }
        var k = [Double](repeating: 0, count: n)
        for i in 0..<n { k[i] = Self.kernel(x, inputs[i], hyperparameters, categorical, whole: whole) }
        var mean = 0.0
        for i in 0..<n { mean += k[i] * alpha[i] }
        // v = L⁻¹k; variance = k(x, x) − vᵀv.
        var v = k, reduction = 0.0
        for i in 0..<n {
            var sum = v[i]
            for j in 0..<i { sum -= factor[i * n + j] * v[j] }
            v[i] = sum / factor[i * n + i]
            reduction += v[i] * v[i]
        }
        return (mean, max(signal - reduction, 1e-12))
    }

    static func clamped(_ theta: [Double], dimensions: Int, sharing: Bool) -> [Double] {
        zip(theta, bounds(dimensions: dimensions, sharing: sharing)).map { min(max($0, $1.0), $1.1) }
    }

    /// The signal variance, plus the shared one when the points agree on every whole dimension; their
    /// squared distance is then over the other dimensions alone, so one kernel shape serves both terms.
    static func kernel(_ a: [Double], _ b: [Double], _ theta: [Double], _ categorical: [Bool], whole: [Bool]) -> Double {
        var squared = 0.0
        var same = true
        for d in 0..<categorical.count {
            if whole[d] && a[d] != b[d] { same = false }
            let inverse = exp(-2 * theta[d])
            if categorical[d] {
                if a[d] != b[d] { squared += inverse }
            } else {
                let difference = a[d] - b[d]
                squared += difference * difference * inverse
            }
        }
        return matern(squared, exp(theta[categorical.count]) + (same ? sharedVariance(theta, dimensions: categorical.count) : 0))
    }

    /// Matérn-5/2 of a squared scaled distance, times `variance`.
    static func matern(_ squared: Double, _ variance: Double) -> Double {
        let r = (5 * squared).squareRoot()
        return variance * (1 + r + r * r / 3) * exp(-r)
    }

    /// For every pair (i, j), row-major n × n, the squared difference in each dimension, and whether
    /// the pair agrees on every whole dimension.
    struct PairDifferences {
        let squared: [Double]
        let sameWhole: [Bool]
    }

    static func differences(_ inputs: [[Double]], _ categorical: [Bool], whole: [Bool]) -> PairDifferences {
        let n = inputs.count, dimensions = categorical.count
        var result = [Double](repeating: 0, count: n * n * dimensions)
        var same = [Bool](repeating: true, count: n * n)
        for i in 0..<n {
            for j in 0..<i {
                for d in 0..<dimensions {
                    let difference = inputs[i][d] - inputs[j][d]
                    let value = categorical[d] ? (difference == 0 ? 0 : 1) : difference * difference
                    result[(i * n + j) * dimensions + d] = value
                    result[(j * n + i) * dimensions + d] = value
                    if whole[d] && difference != 0 { (same[i * n + j], same[j * n + i]) = (false, false) }
                }
            }
        }
        return PairDifferences(squared: result, sameWhole: same)
    }

    /// The Cholesky factor of K + σ²I and α = (K + σ²I)⁻¹y, or nil when K is not positive definite.
    static func solve(_ theta: [Double], differences: PairDifferences, targets: [Double], dimensions: Int,
                      believed: Int = 0) -> (factor: [Double], alpha: [Double], logDeterminant: Double)? {
        let n = targets.count, noise = exp(theta[dimensions + 1]), signal = exp(theta[dimensions])
        let shared = sharedVariance(theta, dimensions: dimensions)
        let inverse = (0..<dimensions).map { exp(-2 * theta[$0]) }
        var matrix = [Double](repeating: 0, count: n * n)
        var alpha = targets
        var logDeterminant = 0.0
        let ok = matrix.withUnsafeMutableBufferPointer { m -> Bool in
            differences.squared.withUnsafeBufferPointer { pairs in
                for i in 0..<n {
                    for j in 0..<i {
                        var squared = 0.0
                        let base = (i * n + j) * dimensions
                        for d in 0..<dimensions { squared += pairs[base + d] * inverse[d] }
                        m[i * n + j] = matern(squared, differences.sameWhole[i * n + j] ? signal + shared : signal)
                    }
                    m[i * n + i] = signal + shared + (i < n - believed ? noise : 0) + 1e-8
                }
            }
            // In place, the lower triangle: L with L Lᵀ = K + σ²I.
            for j in 0..<n {
                var diagonal = m[j * n + j]
                for k in 0..<j { diagonal -= m[j * n + k] * m[j * n + k] }
                guard diagonal > 0 else { return false }
                let root = diagonal.squareRoot()
                m[j * n + j] = root
                logDeterminant += 2 * log(root)
                for i in (j + 1)..<max(j + 1, n) {
                    var sum = m[i * n + j]
                    for k in 0..<j { sum -= m[i * n + k] * m[j * n + k] }
                    m[i * n + j] = sum / root
                }
            }
            // Forward then back substitution: L z = y, Lᵀ α = z.
            for i in 0..<n {
                var sum = alpha[i]
                for k in 0..<i { sum -= m[i * n + k] * alpha[k] }
                alpha[i] = sum / m[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum = alpha[i]
                for k in (i + 1)..<max(i + 1, n) { sum -= m[k * n + i] * alpha[k] }
                alpha[i] = sum / m[i * n + i]
            }
            return true
        }
        return ok ? (matrix, alpha, logDeterminant) : nil
    }

    /// −log p(y | θ) − log p(θ), with a steep wall outside the bounds.
    static func penalisedNegativeLogLikelihood(_ theta: [Double], differences: PairDifferences, targets: [Double], dimensions: Int, sharing: Bool) -> Double {
        let inside = clamped(theta, dimensions: dimensions, sharing: sharing)
        var wall = 0.0
        for (value, bounded) in zip(theta, inside) { wall += 100 * (value - bounded) * (value - bounded) }
        guard let solved = solve(inside, differences: differences, targets: targets, dimensions: dimensions) else { return .infinity }
        var fit = 0.0
        for (y, a) in zip(targets, solved.alpha) { fit += y * a }
        var penalty = 0.0
        for (value, prior) in zip(inside, prior(dimensions: dimensions, sharing: sharing)) {
            let z = (value - prior.mean) / prior.sd
            penalty += 0.5 * z * z
        }
        return 0.5 * fit + 0.5 * solved.logDeterminant + penalty + wall
    }
}
