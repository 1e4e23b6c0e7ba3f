/// A row-major matrix of `Float`.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        values = Array(repeating: 0, count: rows * columns)
    }

    /// - Precondition: `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "a \(rows)×\(columns) matrix needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The rows at `indices`, in that order.
    public func gatherRows(_ indices: ArraySlice<Int>) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        gatherRows(indices, into: &out)
        return out
    }

    /// Copies the rows at `indices` into `out`, reusing its storage. - Precondition: `out` has `indices.count` rows.
    public func gatherRows(_ indices: ArraySlice<Int>, into out: inout Matrix) {
        precondition(out.rows == indices.count && out.columns == columns, "gatherRows: the output has the wrong shape")
        out.values.withUnsafeMutableBufferPointer { target in
            values.withUnsafeBufferPointer { source in
                for (position, row) in indices.enumerated() {
                    let from = source.baseAddress! + row * columns
                    (target.baseAddress! + position * columns).update(from: from, count: columns)
                }
            }
        }
    }

    /// Keeps the first `count` rows, dropping the rest without copying the kept ones.
    public mutating func truncateRows(to count: Int) {
        precondition(count <= rows)
        values.removeLast((rows - count) * columns)
        self = Matrix(rows: count, columns: columns, values: values)
    }
}
