/// Follows the values of the label column to decide between classification and regression.
struct LabelTracker {
    private(set) var numericValues: Set<Double> = []
    private(set) var textValues: Set<[UInt8]> = []
    private(set) var allIntegers = true
    private(set) var overflow = false

    mutating func add(number: Double) {
        if number.rounded() != number { allIntegers = false }
        guard !overflow else { return }
        numericValues.insert(number)
        if numericValues.count > DatasetManifest.distinctLimit { overflow = true; numericValues = [] }
    }

    mutating func add(text: [UInt8]) {
        guard !overflow else { return }
        textValues.insert(text)
        if textValues.count > DatasetManifest.distinctLimit { overflow = true; textValues = [] }
    }

    /// Adds what `other` followed. Whether the values overflow, and which are integers, does not
    /// depend on the order they came in, so trackers of parts of a column merge to the tracker of the whole.
    mutating func merge(_ other: LabelTracker) {
        if !other.allIntegers { allIntegers = false }
        guard !overflow else { return }
        if other.overflow {
            overflow = true
            numericValues = []
            textValues = []
            return
        }
        numericValues.formUnion(other.numericValues)
        textValues.formUnion(other.textValues)
        if numericValues.count > DatasetManifest.distinctLimit || textValues.count > DatasetManifest.distinctLimit {
            overflow = true
            numericValues = []
            textValues = []
        }
    }

    /// The task and its classes, given the label column's kind.
    func decide(kind: ColumnSummary.Kind) -> (DatasetManifest.Task, [JSONValue]) {
        switch kind {
        case .categorical:
            let classes = textValues.map { String(decoding: $0, as: UTF8.self) }.sorted(by: CanonicalJSON.precedes)
            return (.classification, classes.map(JSONValue.string))
        case .numeric:
            if allIntegers && !overflow && numericValues.count <= DatasetManifest.classLimit {
                return (.classification, numericValues.sorted().map(JSONValue.number))
            }
            return (.regression, [])
        }
    }
}
