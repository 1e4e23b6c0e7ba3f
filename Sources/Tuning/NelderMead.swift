/// The Nelder–Mead simplex method (standard coefficients: reflection 1, expansion 2, contraction ½,
/// shrink ½): minimises a function of a few variables without gradients. Deterministic: the same start
/// gives the same steps, so the Gaussian process's hyperparameters are the same every run.
enum NelderMead {
    /// The point of smallest `f` found from `start` (initial simplex: `step` along each axis), within
    /// `evaluations` calls of `f`.
    static func minimise(_ f: ([Double]) -> Double, from start: [Double], step: Double, evaluations: Int) -> (point: [Double], value: Double) {
        let n = start.count
        var simplex: [([Double], Double)] = [(start, f(start))]
        for axis in 0..<n {
            var vertex = start
            vertex[axis] += step
            simplex.append((vertex, f(vertex)))
        }
        var used = n + 1
        func combine(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] { zip(a, b).map { $0 + t * ($1 - $0) } }
        while used < evaluations {
            simplex.sort { $0.1 < $1.1 }
            if simplex[n].1 - simplex[0].1 <= 1e-9 * (abs(simplex[0].1) + 1e-9) { break }
            var centroid = [Double](repeating: 0, count: n)
            for vertex in simplex.prefix(n) { for axis in 0..<n { centroid[axis] += vertex.0[axis] / Double(n) } }
            let worst = simplex[n]
            let reflected = combine(centroid, worst.0, -1)
            let reflectedValue = f(reflected); used += 1
            if reflectedValue < simplex[0].1 {
                let expanded = combine(centroid, worst.0, -2)
                let expandedValue = f(expanded); used += 1
                simplex[n] = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue)
            } else if reflectedValue < simplex[n - 1].1 {
                simplex[n] = (reflected, reflectedValue)
            } else {
                let outside = reflectedValue < worst.1
                let contracted = combine(centroid, outside ? reflected : worst.0, 0.5)
                let contractedValue = f(contracted); used += 1
                if contractedValue < min(reflectedValue, worst.1) {
                    simplex[n] = (contracted, contractedValue)
                } else {
                    for index in 1...n {
                        let shrunk = combine(simplex[0].0, simplex[index].0, 0.5)
                        simplex[index] = (shrunk, f(shrunk))
                    }
                    used += n
                }
            }
        }
        return simplex.min { $0.1 < $1.1 }!
    }
}
