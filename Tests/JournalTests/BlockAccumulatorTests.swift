import Foundation
import Testing
@testable import Journal
import Training

/// Whole rows handed over in pieces (`appendRows`, whose full blocks are summarised on several
/// threads) must give the statistics that cells appended one at a time give, bit for bit, and the
/// label's classes a plain `LabelTracker` gives.
@Suite struct BlockAccumulatorTests {
    struct Case {
        let columns: Int
        let rows: Int
        let labels: [Double]
    }

    static func cells(_ columns: Int, _ rows: Int, labels: [Double], generator: inout SeededGenerator) -> [Double] {
        (0..<rows * columns).map { index in
            if index % columns == columns - 1 { return labels.randomElement(using: &generator)! }
            if Int.random(in: 0..<50, using: &generator) == 0 { return .nan }
            return Double(Int.random(in: -100_000...100_000, using: &generator)) / 1000
        }
    }

    @Test(arguments: [
        Case(columns: 3, rows: 5_000, labels: [0, 1, 2]),
        Case(columns: 16, rows: 9_000, labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65]),
        Case(columns: 2, rows: 7_001, labels: [-1, 64, 0.5, 3, -0.0, 1e300, .nan]),
        Case(columns: 4, rows: 3_000, labels: (0..<40).map { Double($0) * 7 - 3 }),
        // −0 and 0 are one class; which of the two is printed is the one met first, as one at a time.
        Case(columns: 3, rows: 6_000, labels: [-0.0, 0, 1, 2]),
        Case(columns: 3, rows: 6_000, labels: [0, -0.0, 1, 2]),
    ])
    func piecesGiveTheBitsOfOneCellAtATime(_ shape: Case) {
        var generator = SeededGenerator(seed: UInt64(shape.columns * 1_000 + shape.rows))
        let values = Self.cells(shape.columns, shape.rows, labels: shape.labels, generator: &generator)
        let reference = BlockAccumulator(columnCount: shape.columns)
        reference.labelIndex = shape.columns - 1
        var tracker = LabelTracker()
        for (index, value) in values.enumerated() {
            reference.append(value)
            if index % shape.columns == shape.columns - 1, value == value { tracker.add(number: value) }
        }
        reference.flush()
        // Several rounds of pieces: sizes in whole rows, some empty, some far longer than a block.
        for round in 0..<4 {
            let pieced = BlockAccumulator(columnCount: shape.columns)
            pieced.labelIndex = shape.columns - 1
            var row = 0
            // A few rows one cell at a time first, so a block is part full when pieces arrive.
            let head = Int.random(in: 0...700, using: &generator)
            for value in values[..<(head * shape.columns)] { pieced.append(value) }
            row = head
            while row < shape.rows {
                var pieces: [[Double]] = []
                for _ in 0..<Int.random(in: 1...4, using: &generator) where row < shape.rows {
                    let take = min(shape.rows - row, Int.random(in: 0...(round * 1_500 + 200), using: &generator))
                    pieces.append(Array(values[(row * shape.columns)..<((row + take) * shape.columns)]))
                    row += take
                }
                let buffers = pieces.map { piece in
                    let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: piece.count)
                    _ = buffer.initialize(from: piece)
                    return buffer
                }
                pieced.appendRows(buffers.map { UnsafeBufferPointer($0) })
                buffers.forEach { $0.deallocate() }
            }
            pieced.flush()
            for column in 0..<shape.columns {
                let (a, b) = (pieced.statistics[column], reference.statistics[column])
                #expect(a.count == b.count && a.missing == b.missing, "round \(round), column \(column)")
                #expect(a.mean.bitPattern == b.mean.bitPattern && a.standardDeviation.bitPattern == b.standardDeviation.bitPattern,
                        "round \(round), column \(column): \(a.mean) \(b.mean)")
                #expect(a.minimum.bitPattern == b.minimum.bitPattern && a.maximum.bitPattern == b.maximum.bitPattern)
            }
            let (task, classes) = pieced.label.decide(kind: .numeric)
            let (expectedTask, expectedClasses) = tracker.decide(kind: .numeric)
            // As printed: JSONValue's == takes −0 for 0.
            #expect(task == expectedTask && "\(classes)" == "\(expectedClasses)", "round \(round)")
            #expect("\(reference.label.decide(kind: .numeric).1)" == "\(expectedClasses)")
        }
    }
}
