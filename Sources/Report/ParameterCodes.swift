import Journal

/// One parameter over some rows of experiment columns, coded for grouping: its distinct values (by
/// JSON equality, so `0` and `-0` are one), their texts, and each row's code. A plot over 100,000
/// experiments compares small integers, and formats a value once rather than once per row.
struct ParameterCodes {
    let name: String
    /// The distinct values the rows set, in the order first met.
    let values: [JSONValue]
    /// `displayText` of each value.
    let texts: [String]
    /// For each value, a code shared by the values with the same text (a group key is written as text).
    let textCodes: [Int]
    /// The text code of a row that does not set the parameter: a group key writes it "-", so it is the
    /// code of a value whose text is "-" (the string "-") when there is one.
    let missingTextCode: Int
    private let column: [Int32]
    /// A value index of the columns → its code here.
    private let codeOfIndex: [Int32: Int]

    init(_ columns: ExperimentColumns, _ name: String, rows: [Int]) {
        self.name = name
        column = columns.parameter(name) ?? []
        var codeOfIndex: [Int32: Int] = [:]
        var codeOfValue: [JSONValue: Int] = [:]
        var values: [JSONValue] = []
        if !column.isEmpty {
            for row in rows {
                let index = column[row]
                guard index >= 0, codeOfIndex[index] == nil else { continue }
                let value = columns.values[Int(index)]
                if let code = codeOfValue[value] {
                    codeOfIndex[index] = code
                } else {
                    codeOfValue[value] = values.count
                    codeOfIndex[index] = values.count
                    values.append(value)
                }
            }
        }
        self.values = values
        self.codeOfIndex = codeOfIndex
        texts = values.map(\.displayText)
        var textCode: [String: Int] = [:]
        textCodes = texts.map { text in
            if let code = textCode[text] { return code }
            textCode[text] = textCode.count
            return textCode.count - 1
        }
        missingTextCode = textCode["-"] ?? textCode.count
    }

    /// The row's value code, nil where the row does not set the parameter.
    func code(ofRow row: Int) -> Int? {
        guard !column.isEmpty else { return nil }
        let index = column[row]
        return index < 0 ? nil : codeOfIndex[index]
    }

    /// The row's value, nil where unset.
    func value(ofRow row: Int) -> JSONValue? { code(ofRow: row).map { values[$0] } }

    /// The row's value as text, nil where unset.
    func text(ofRow row: Int) -> String? { code(ofRow: row).map { texts[$0] } }
}
