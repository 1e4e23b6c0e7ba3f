import Foundation
import Journal

/// Writing to the terminal: text for people, `--json` for scripts, errors on stderr.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes text to a file (atomically), or to standard output when no path is given.
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CommandFailure(message: "cannot write \(path): \((error as NSError).localizedDescription)", status: 1)
        }
    }

    static func json(_ value: JSONValue) {
        line(CanonicalJSON.pretty(value))
    }

    /// A one-line notice on stderr (`xj: …`), so stdout stays what a script parses.
    static func note(_ text: String) {
        error("xj: " + text)
    }

    /// One line per experiment the run index listed but whose objects are missing or corrupt.
    static func reportDamaged(_ journal: LabJournal) {
        for entry in journal.damagedExperiments {
            note("warning: experiment \(entry.experiment.short) (run key \(entry.runKey.short)) is listed but its objects are missing or corrupt, " +
                 "so it counts as not run; the journal is damaged: run xj fsck")
        }
    }

    /// One line on stderr when the current line has staged work that `what` does not include.
    static func noteStagedWork(_ journal: LabJournal, notIncludedIn what: String) {
        guard let staged = try? journal.stagedRecords(), !staged.isEmpty else { return }
        let experiments = staged.filter { $0.category == JournalLayout.experiments }.count
        let described = experiments == staged.count ? "\(experiments) staged experiment\(experiments == 1 ? " is" : "s are")"
            : "\(staged.count) staged record\(staged.count == 1 ? " is" : "s are")"
        note("\(described) not in \(what); xj commit first (xj status lists them)")
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether stdout is a terminal (progress and colour only then).
    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// "2026-11-22 17:04" in the local time zone.
    static func date(_ date: Date) -> String {
        dateFormatter.string(from: date)
    }

    /// One formatter for the process (tables format a date per row).
    nonisolated(unsafe) private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    /// A number as people read it in a table: integers without a decimal point, others to 4 significant digits.
    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return printf("%.4g", value)
    }

    /// C's printf formatting of one number: what `String(format:)` gives, without Foundation's
    /// format parser (a twentieth of a 100,000-row table).
    static func printf(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 48)
        let length = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        guard length >= 0, length < buffer.count else { return String(format: format, value) }
        return String(cString: buffer)
    }

    /// "2 hours ago", "just now", "3 days ago".
    static func age(_ secondsSince1970: Double) -> String {
        let seconds = max(0, Date().timeIntervalSince1970 - secondsSince1970)
        func plural(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s") ago" }
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return plural(Int(seconds / 60), "minute")
        case ..<86400: return plural(Int(seconds / 3600), "hour")
        default: return plural(Int(seconds / 86400), "day")
        }
    }

    /// A metric with four decimals.
    static func number4(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e9 ? String(Int64(value)) : printf("%.4f", value)
    }

    /// Left-aligned columns.
    static func table(_ rows: [[String]], indent: String = "  ") -> [String] {
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return table(rows, widths: widths, indent: indent)
    }

    /// Left-aligned columns of the given widths (in characters), the last cell of a row unpadded.
    static func table(_ rows: [[String]], widths: [Int], indent: String) -> [String] {
        // Padded by characters, as the widths are counted (NSString's padding counts UTF-16 units, and
        // was a tenth of a 100,000-row table).
        rows.map { row in
            indent + row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(widths[index] - cell.count, 0))
            }.joined(separator: "  ")
        }
    }
}
