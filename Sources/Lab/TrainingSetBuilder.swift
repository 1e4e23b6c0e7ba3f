import Journal
import Training

/// Turns a dataset's table into `TrainingData`: numeric features, targets as class indices or
/// values, missing cells refused (naming line and column) or imputed with the training mean.
enum TrainingSetBuilder {
    /// The features and targets of every row; features may hold NaN where cells are missing.
    /// Takes the table's storage and compacts the features in place (the label column dropped), so
    /// loading costs one copy of the data, not three.
    static func examples(_ table: inout DatasetTable, manifest: DatasetManifest, source: String) throws -> TrainingData {
        guard let labelIndex = table.names.firstIndex(of: manifest.label) else {
            throw LabError.invalidData("\(source): no label column `\(manifest.label)`")
        }
        let featureColumns = table.names.indices.filter { $0 != labelIndex }
        guard !featureColumns.isEmpty else { throw LabError.invalidData("\(source): there are no feature columns besides the label `\(manifest.label)`") }
        for column in featureColumns where table.kinds[column] == .categorical {
            throw LabError.invalidData("\(source): column `\(table.names[column])` is categorical; xj train needs numeric features (encode it as numbers first)")
        }
        let task: TrainingData.Task
        var targets: [Float] = []
        targets.reserveCapacity(table.rowCount)
        switch manifest.task {
        case .classification:
            guard manifest.classes.count >= 2 else {
                let only = manifest.classes.first?.displayText ?? "none"
                throw LabError.invalidData("\(source): the label `\(manifest.label)` has one class (\(only)); a classifier needs at least two")
            }
            task = .classification(classes: manifest.classes.count)
            var index: [JSONValue: Int] = [:]
            for (position, value) in manifest.classes.enumerated() { index[value] = position }
            for row in 0..<table.rowCount {
                let number = table[row, labelIndex]
                let value: JSONValue? = table.kinds[labelIndex] == .categorical
                    ? table.text[labelIndex][row].map(JSONValue.string)
                    : (number.isNaN ? nil : .number(Double(number)))
                guard let value, let position = index[value] else {
                    throw LabError.invalidData("\(source) line \(DatasetTable.line(ofRow: row)): the label `\(manifest.label)` is missing")
                }
                targets.append(Float(position))
            }
        case .regression:
            task = .regression
            for row in 0..<table.rowCount {
                let value = table[row, labelIndex]
                guard !value.isNaN else { throw LabError.invalidData("\(source) line \(DatasetTable.line(ofRow: row)): the label `\(manifest.label)` is missing") }
                targets.append(value)
            }
        }
        let rows = table.rowCount
        let width = table.columnCount
        var values: [Float] = []
        swap(&values, &table.values)
        // Drop the label column by moving every later cell forward; a cell never moves past one not yet read.
        values.withUnsafeMutableBufferPointer { cells in
            var target = 0
            for row in 0..<rows {
                for column in 0..<width where column != labelIndex {
                    cells[target] = cells[row * width + column]
                    target += 1
                }
            }
        }
        values.removeLast(rows)
        return TrainingData(features: Matrix(rows: rows, columns: width - 1, values: values), targets: targets, task: task)
    }

    /// The feature names, in the order of the feature matrix.
    static func featureNames(_ table: DatasetTable, label: String) -> [String] { table.names.filter { $0 != label } }

    /// Fills missing features with the training rows' column means, or refuses the first one.
    static func handleMissing(training: inout TrainingData, validation: inout TrainingData, impute: Bool, names: [String],
                              trainingRows: [Int], validationRows: [Int], source: String, validationSource: String) throws {
        let columns = training.features.columns
        // One pass in memory order (a column at a time strode through the whole matrix); each column's
        // sum still adds its rows in order, so the means are the same bits.
        var sums = [Double](repeating: 0, count: columns), counts = [Int](repeating: 0, count: columns)
        training.features.values.withUnsafeBufferPointer { values in
            for row in 0..<training.count {
                let base = row * columns
                for column in 0..<columns where !values[base + column].isNaN {
                    sums[column] += Double(values[base + column])
                    counts[column] += 1
                }
            }
        }
        let means = (0..<columns).map { counts[$0] > 0 ? Float(sums[$0] / Double(counts[$0])) : 0 }
        func fill(_ data: inout TrainingData, rows: [Int], source: String) throws {
            let count = data.count
            try data.features.values.withUnsafeMutableBufferPointer { values in
                for row in 0..<count {
                    let base = row * columns
                    for column in 0..<columns where values[base + column].isNaN {
                        guard impute else {
                            throw LabError.invalidData("\(source) line \(DatasetTable.line(ofRow: rows[row])), column `\(names[column])`: the value is missing (impute=mean fills it with the training mean)")
                        }
                        values[base + column] = means[column]
                    }
                }
            }
        }
        try fill(&training, rows: trainingRows, source: source)
        try fill(&validation, rows: validationRows, source: validationSource)
    }
}
