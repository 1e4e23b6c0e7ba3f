/// Examples for training or evaluation: a feature matrix and one target per row.
public struct TrainingData: Sendable {
    public enum Task: Sendable, Equatable {
        /// Targets are class indices 0..<classes.
        case classification(classes: Int)
        case regression
    }

    public var features: Matrix
    /// Class index (as a Float) or regression value, one per row.
    public var targets: [Float]
    public let task: Task

    public init(features: Matrix, targets: [Float], task: Task) {
        precondition(features.rows == targets.count, "one target per row")
        self.features = features
        self.targets = targets
        self.task = task
    }

    public var count: Int { targets.count }

    /// Splits off `validationRows` (sorted, disjoint from `trainingRows`, both ascending) as a new set
    /// and keeps the training rows here, moved forward in place: only the validation rows are copied.
    public mutating func partition(trainingRows: [Int], validationRows: [Int]) -> TrainingData {
        let validation = subset(validationRows)
        let columns = features.columns
        features.values.withUnsafeMutableBufferPointer { values in
            for (position, row) in trainingRows.enumerated() where position != row {
                (values.baseAddress! + position * columns).update(from: values.baseAddress! + row * columns, count: columns)
            }
        }
        targets = trainingRows.map { targets[$0] }
        features.truncateRows(to: trainingRows.count)
        return validation
    }

    public func subset(_ rows: [Int]) -> TrainingData {
        TrainingData(features: features.gatherRows(rows[...]), targets: rows.map { targets[$0] }, task: task)
    }

    /// A stratified split: each class (or, for regression, the whole set) is shuffled with the
    /// seed and its first ⌈fraction · n⌉ rows go to validation. Returns (training rows, validation rows), sorted.
    /// `stream` keeps two splits drawn with one seed independent (1: validation, 7: the test part).
    public func stratifiedSplit(validationFraction: Double, seed: UInt64, stream: UInt64 = 1) -> ([Int], [Int]) {
        var groups: [Int: [Int]] = [:]
        for (row, target) in targets.enumerated() {
            let key: Int
            if case .classification = task { key = Int(target) } else { key = 0 }
            groups[key, default: []].append(row)
        }
        var generator = SeededGenerator.derived(from: seed, stream: stream)
        var training: [Int] = []
        var validation: [Int] = []
        for key in groups.keys.sorted() {
            var rows = groups[key]!
            generator.shuffle(&rows)
            let take = Int((Double(rows.count) * validationFraction).rounded())
            validation += rows.prefix(take)
            training += rows.dropFirst(take)
        }
        return (training.sorted(), validation.sorted())
    }
}
