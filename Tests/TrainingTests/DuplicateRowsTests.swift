import Testing
@testable import Training

/// K302 counts rows through hashes and a sort now; its counts must equal those of the dictionary of
/// rows it replaced, on data with many repeats, relabelled repeats, −0/+0 and NaN.
@Suite struct DuplicateRowsTests {
    /// The dictionary count, as xj 0.2 computed it.
    static func reference(_ training: TrainingData, _ validation: TrainingData) -> (Double, Double) {
        let columns = training.features.columns
        func key(_ features: Matrix, _ row: Int) -> ArraySlice<Float> { features.values[(row * columns)..<((row + 1) * columns)] }
        var seen: [ArraySlice<Float>: [Float]] = [:]
        var duplicates = 0
        for row in 0..<training.count {
            let features = key(training.features, row)
            if let labels = seen[features] {
                if labels.contains(training.targets[row]) { duplicates += 1 } else { seen[features]!.append(training.targets[row]) }
            } else {
                seen[features] = [training.targets[row]]
            }
        }
        var leaked = 0
        for row in 0..<validation.count where seen[key(validation.features, row)] != nil { leaked += 1 }
        return (Double(duplicates), Double(leaked))
    }

    static func data(rows: Int, seed: UInt64) -> TrainingData {
        var generator = SeededGenerator(seed: seed)
        var features = Matrix(rows: rows, columns: 3)
        let palette: [Float] = [0, -0.0, 1, 2, .nan]
        for index in features.values.indices { features.values[index] = palette[generator.nextIndex(below: palette.count)] }
        let targets = (0..<rows).map { _ in Float(generator.nextIndex(below: 2)) }
        return TrainingData(features: features, targets: targets, task: .classification(classes: 2))
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func countsEqualTheDictionaryOfRows(_ seed: Int) {
        let training = Self.data(rows: 400, seed: UInt64(seed)), validation = Self.data(rows: 120, seed: UInt64(100 + seed))
        let input = DataCheckInput(fileOrderTargets: training.targets, training: training, validation: validation, separateValidation: true,
                                   configuration: TrainingConfiguration())
        let finding = SanityChecks.duplicates(input)
        let (duplicates, leaked) = Self.reference(training, validation)
        #expect(duplicates > 0 && leaked > 0, "the data should exercise both counts")
        #expect(finding.values["duplicate_training_rows"] == duplicates)
        #expect(finding.values["validation_rows_in_training"] == leaked)
    }
}
