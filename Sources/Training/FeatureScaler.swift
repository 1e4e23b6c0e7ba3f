/// Feature scaling fitted on the training rows only and applied to any rows.
/// standard: (x − mean)/std; minmax: (x − min)/(max − min); a constant column maps to 0.
public struct FeatureScaler: Sendable {
    public let offsets: [Float]
    public let scales: [Float]

    public init(fitting features: Matrix, mode: TrainingConfiguration.Normalization) {
        let columns = features.columns
        var offsets = [Float](repeating: 0, count: columns)
        var scales = [Float](repeating: 1, count: columns)
        if mode != .none && features.rows > 0 {
            // Two contiguous row-major passes, each column's values added in row order: the same sums,
            // bit for bit, as a pass down each column, without its strided reads.
            let rows = features.rows
            var sums = [Double](repeating: 0, count: columns)
            var minima = [Double](repeating: .infinity, count: columns)
            var maxima = [Double](repeating: -.infinity, count: columns)
            var squares = [Double](repeating: 0, count: columns)
            features.values.withUnsafeBufferPointer { values in
                for row in 0..<rows {
                    let base = row * columns
                    for column in 0..<columns {
                        let value = Double(values[base + column])
                        sums[column] += value
                        minima[column] = Swift.min(minima[column], value)
                        maxima[column] = Swift.max(maxima[column], value)
                    }
                }
                let means = sums.map { $0 / Double(rows) }
                for row in 0..<rows {
                    let base = row * columns
                    for column in 0..<columns {
                        let deviation = Double(values[base + column]) - means[column]
                        squares[column] += deviation * deviation
                    }
                }
            }
            for column in 0..<columns {
                let mean = sums[column] / Double(rows)
                let minimum = minima[column], maximum = maxima[column]
                let deviation = (squares[column] / Double(rows)).squareRoot()
                switch mode {
                case .standard:
                    offsets[column] = Float(mean)
                    scales[column] = deviation > 0 ? Float(1 / deviation) : 0
                case .minmax:
                    offsets[column] = Float(minimum)
                    scales[column] = maximum > minimum ? Float(1 / (maximum - minimum)) : 0
                case .none:
                    break
                }
            }
        }
        self.offsets = offsets
        self.scales = scales
    }

    public func transform(_ features: Matrix) -> Matrix {
        var out = features
        transform(&out)
        return out
    }

    /// Scales in place.
    public func transform(_ features: inout Matrix) {
        let columns = features.columns
        let rows = features.rows
        features.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns { values[base + column] = (values[base + column] - offsets[column]) * scales[column] }
            }
        }
    }
}
