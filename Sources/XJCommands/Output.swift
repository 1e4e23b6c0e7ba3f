import Foundation
import Journal

/// Writing to the terminal: text for people, `--json` for scripts, errors on stderr.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func json(_ value: JSONValue) {
        line(CanonicalJSON.pretty(value))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether stdout is a terminal (progress and colour only then).
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// "2026-11-22 17:04" in the local time zone.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// A number as people read it in a table: integers without a decimal point, others to 4 significant digits.
    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }

    /// A metric with four decimals.
    static func number4(_ value: Double) -> String { String(format: "%.4f", value) }

    /// Left-aligned columns.
    static func table(_ rows: [[String]], indent: String = "  ") -> [String] {
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            indent + row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
