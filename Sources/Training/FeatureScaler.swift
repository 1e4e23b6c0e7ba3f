/// Feature scaling fitted on the training rows only and applied to any rows.
/// standard: (x − mean)/std; minmax: (x − min)/(max − min); a constant column maps to 0.
public struct FeatureScaler: Sendable {
    public let offsets: [Float]
    public let scales: [Float]

    public init(fitting features: Matrix, mode: TrainingConfiguration.Normalization) {
        let columns = features.columns
        var offsets = [Float](repeating: 0, count: columns)
        var scales = [Float](repeating: 1, count: columns)
        if mode != .none && features.rows > 0 && columns > 0 {
            let rows = features.rows
            var sums = [Double](repeating: 0, count: columns)
            var minima = [Double](repeating: .infinity, count: columns)
            var maxima = [Double](repeating: -.infinity, count: columns)
            var squares = [Double](repeating: 0, count: columns)
            features.values.withUnsafeBufferPointer { values in
                sums.withUnsafeMutableBufferPointer { sums in
                    minima.withUnsafeMutableBufferPointer { minima in
                        maxima.withUnsafeMutableBufferPointer { maxima in
                            squares.withUnsafeMutableBufferPointer { squares in
                                // Blocks of columns at once, one thread each; within a block, two
                                // contiguous row-major passes with each column's values added in row
                                // order: the same sums, bit for bit, as a pass down each column.
                                let blocks = rows * columns >= 1 << 20 ? max(1, min(BLAS.availableThreads, columns)) : 1
                                CharacterLSTM.forEachBlock(of: columns, blocks: blocks) { _, first, count in
                                    Self.moments(values.baseAddress!, rows: rows, columns: columns, range: first..<(first + count),
                                                 sums: sums.baseAddress!, minima: minima.baseAddress!, maxima: maxima.baseAddress!, squares: squares.baseAddress!)
                                }
                            }
                        }
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

    /// Sums, minima, maxima and squared deviations from the mean of the columns in `range`.
    private static func moments(_ values: UnsafePointer<Float>, rows: Int, columns: Int, range: Range<Int>,
                                sums: UnsafeMutablePointer<Double>, minima: UnsafeMutablePointer<Double>,
                                maxima: UnsafeMutablePointer<Double>, squares: UnsafeMutablePointer<Double>) {
        for row in 0..<rows {
            let base = values + row * columns
            for column in range {
                let value = Double(base[column])
                sums[column] += value
                minima[column] = Swift.min(minima[column], value)
                maxima[column] = Swift.max(maxima[column], value)
            }
        }
        let means = UnsafeMutablePointer<Double>.allocate(capacity: columns)
        defer { means.deallocate() }
        for column in range { means[column] = sums[column] / Double(rows) }
        for row in 0..<rows {
            let base = values + row * columns
            for column in range {
                let deviation = Double(base[column]) - means[column]
                squares[column] += deviation * deviation
            }
        }
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
            offsets.withUnsafeBufferPointer { offsets in
                scales.withUnsafeBufferPointer { scales in
                    guard let start = values.baseAddress else { return }
                    for row in 0..<rows {
                        let base = start + row * columns
                        for column in 0..<columns { base[column] = (base[column] - offsets[column]) * scales[column] }
                    }
                }
            }
        }
    }
}
