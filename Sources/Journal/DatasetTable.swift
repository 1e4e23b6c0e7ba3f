/// A dataset's cells loaded for computation: every cell as a `Float` in one row-major array
/// (NaN where missing or text), and the text of categorical cells by column and row.
public struct DatasetTable: Sendable {
    public let names: [String]
    public let kinds: [ColumnSummary.Kind]
    /// rows × columns, row-major. Taken out (and left empty) by code that reuses the storage.
    public var values: [Float]
    public let text: [[Int: String]]

    public var columnCount: Int { names.count }
    public var rowCount: Int { columnCount == 0 ? 0 : values.count / columnCount }

    public init(names: [String], kinds: [ColumnSummary.Kind], values: [Float], text: [[Int: String]]) {
        self.names = names
        self.kinds = kinds
        self.values = values
        self.text = text
    }

    public subscript(row: Int, column: Int) -> Float { values[row * columnCount + column] }

    /// The file line of a data row, for error messages (CSV: header is line 1).
    public static func line(ofRow row: Int) -> Int { row + 2 }
}
