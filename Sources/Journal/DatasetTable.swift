/// A dataset's cells loaded for computation: numbers by column (NaN where missing or text) and
/// the text of categorical cells by row.
public struct DatasetTable: Sendable {
    public let names: [String]
    public let kinds: [ColumnSummary.Kind]
    public let numbers: [[Double]]
    public let text: [[Int: String]]

    public var rowCount: Int { numbers.first?.count ?? 0 }

    /// The file line of a data row, for error messages (CSV: header is line 1).
    public static func line(ofRow row: Int) -> Int { row + 2 }
}
