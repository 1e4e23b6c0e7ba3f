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
            for column in 0..<columns {
                var sum = 0.0, minimum = Double.infinity, maximum = -Double.infinity
                for row in 0..<features.rows {
                    let value = Double(features[row, column])
                    sum += value
                    minimum = Swift.min(minimum, value)
                    maximum = Swift.max(maximum, value)
                }
                let mean = sum / Double(features.rows)
                var squares = 0.0
                for row in 0..<features.rows {
                    let deviation = Double(features[row, column]) - mean
                    squares += deviation * deviation
                }
                let deviation = (squares / Double(features.rows)).squareRoot()
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
