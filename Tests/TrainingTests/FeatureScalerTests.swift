import Testing
@testable import Training

/// The scaler reads rows contiguously; its offsets and scales must equal, bit for bit, those of the
/// column-by-column pass it replaced, or every recorded run would change (run keys and replicates).
@Suite struct FeatureScalerTests {
    /// The column-by-column fit, as xj 0.2 computed it.
    static func reference(_ features: Matrix, mode: TrainingConfiguration.Normalization) -> ([Float], [Float]) {
        var offsets = [Float](repeating: 0, count: features.columns)
        var scales = [Float](repeating: 1, count: features.columns)
        for column in 0..<features.columns {
            var sum = 0.0, minimum = Double.infinity, maximum = -Double.infinity
            for row in 0..<features.rows {
                let value = Double(features[row, column])
                sum += value
                minimum = min(minimum, value)
                maximum = max(maximum, value)
            }
            let mean = sum / Double(features.rows)
            var squares = 0.0
            for row in 0..<features.rows {
                let deviation = Double(features[row, column]) - mean
                squares += deviation * deviation
            }
            let deviation = (squares / Double(features.rows)).squareRoot()
            if mode == .standard {
                offsets[column] = Float(mean)
                scales[column] = deviation > 0 ? Float(1 / deviation) : 0
            } else {
                offsets[column] = Float(minimum)
                scales[column] = maximum > minimum ? Float(1 / (maximum - minimum)) : 0
            }
        }
        return (offsets, scales)
    }

    @Test(arguments: [TrainingConfiguration.Normalization.standard, .minmax])
    func rowMajorFitEqualsTheColumnPassBitForBit(_ mode: TrainingConfiguration.Normalization) {
        var generator = SeededGenerator(seed: 11)
        var features = Matrix(rows: 997, columns: 13)
        for index in features.values.indices { features.values[index] = (generator.nextUnitFloat() - 0.3) * Float(1 + index % 7) * 1000 }
        for row in 0..<features.rows { features[row, 5] = 2.5 }  // a constant column
        let scaler = FeatureScaler(fitting: features, mode: mode)
        let (offsets, scales) = Self.reference(features, mode: mode)
        #expect(scaler.offsets.map(\.bitPattern) == offsets.map(\.bitPattern))
        #expect(scaler.scales.map(\.bitPattern) == scales.map(\.bitPattern))
    }
}
