/// Per-column mean, standard deviation, minimum and maximum of a feature matrix (in Double).
struct ColumnMoments {
    var mean: [Double]
    var std: [Double]
    var minimum: [Double]
    var maximum: [Double]

    init(_ features: Matrix) {
        let columns = features.columns
        var sum = [Double](repeating: 0, count: columns)
        var minimum = [Double](repeating: .infinity, count: columns)
        var maximum = [Double](repeating: -.infinity, count: columns)
        for row in 0..<features.rows {
            for column in 0..<columns {
                let value = Double(features.values[row * columns + column])
                sum[column] += value
                minimum[column] = Swift.min(minimum[column], value)
                maximum[column] = Swift.max(maximum[column], value)
            }
        }
        let count = Double(Swift.max(features.rows, 1))
        let mean = sum.map { $0 / count }
        var squares = [Double](repeating: 0, count: columns)
        for row in 0..<features.rows {
            for column in 0..<columns {
                let difference = Double(features.values[row * columns + column]) - mean[column]
                squares[column] += difference * difference
            }
        }
        self.mean = mean
        self.std = squares.map { ($0 / count).squareRoot() }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Columns that vary (a constant column has nothing to normalise).
    var varying: [Int] { std.indices.filter { std[$0] > 1e-12 } }
}
