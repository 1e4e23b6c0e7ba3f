import Foundation
import ArgumentParser
import Journal

/// `xj runs`: the experiment table — filter, sort, choose columns, export as CSV or JSON.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "The experiment table: every experiment of a line of inquiry with its parameters, metrics and status.",
        discussion: """
        Lists the current line's experiments (committed and staged), newest first; --all lists every \
        line, remote-tracking branch and stage. Columns: experiment, date, line, dataset, model, the \
        parameters that vary among the rows, the headline metrics, status, and checks and tags when any \
        row has them. It reads the run index and the summary cache in .journal/xj, never every record; \
        a whole table is printed as it is read, so `xj runs | head` of 100,000 experiments is quick.

        --where takes comparisons of fields joined by and, or, not and parentheses. A field is a \
        parameter, a metric, or dataset, model, status, line, tag, date, checks, note, experiment; \
        params.NAME and metrics.NAME say which when a name is both. Operators: = != < <= > >= and \
        `in (a, b)`. Values: numbers, true/false, words, 'quoted text'. A comparison with a field a row \
        lacks is false. `date = 2026-11-28` is that whole day (dates compare on the characters given).

        Examples:
          xj runs
          xj runs --where "lr < 0.05 and status = ok" --sort -val_accuracy -n 10
          xj runs --where "optimizer in (adam, sgd) or tag = best" --all
          xj runs --columns experiment,lr,hidden,val_loss --csv > runs.csv
          xj runs 3f2a91c --json          # experiments whose run key or id starts with 3f2a91c
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only experiments whose run key or experiment id starts with this prefix (searched on every line).")
    var prefix: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep the experiments this expression selects.", valueName: "expression"))
    var filter: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Sort by these fields, comma-separated; a leading - sorts descending (default: -date).", valueName: "keys"))
    var sort: String?

    @Option(name: .customShort("n"), help: ArgumentHelp("Show at most this many experiments.", valueName: "count"))
    var count: Int?

    @Option(name: .customLong("on"), help: ArgumentHelp("List this line of inquiry instead of the current one.", valueName: "line"), completion: NameCompletion.lines)
    var line: String?

    @Flag(help: "List every line of inquiry, remote-tracking branch and stage.")
    var all = false

    @Option(help: ArgumentHelp("The columns to show, comma-separated (field names as in --where).", valueName: "names"))
    var columns: String?

    @Flag(help: "Show every parameter, not only those that vary among the rows.")
    var allParams = false

    @Flag(help: "Print comma-separated values (every parameter and metric unless --columns says otherwise).")
    var csv = false

    @Flag(help: "Print one JSON object per experiment: params, metrics, dataset, status, lines, tags, note.")
    var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("-n takes a positive count, not \(count)") }
        if all && line != nil { throw ValidationError("--all and --on both say which lines to list; give one") }
        if csv && json { throw ValidationError("--csv and --json both choose the output; give one") }
        if let prefix, prefix.isEmpty || !prefix.allSatisfy(\.isHexDigit) {
            throw ValidationError("\(prefix.debugDescription) is not a run key or experiment id prefix (hex digits); filter by other fields with --where")
        }
    }

    func run() throws {
        // Everything the user typed is checked before the journal is read.
        let parsedFilter = try filter.map { try RunFilterParser.parse($0) }
        let sortKeys = try sort.map(ExperimentTable.sortKeys) ?? [("date", true)]
        let wantedColumns = try columns.map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
                let name = part.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw CommandFailure(status: 2, message: "--columns \(text.debugDescription): an empty name; write e.g. --columns experiment,lr,val_loss") }
                return name
            }
        }
        let journal = try global.openJournal(on: line)
        defer { Output.reportDamaged(journal) }
        let scope: String? = all || prefix != nil ? nil : try journal.currentBranch()
        // Fields the run index holds decide a -n table without reading the other experiments' summaries.
        let indexOrder = sortKeys.allSatisfy { ["date", "experiment", "id", "run_key"].contains($0.field) }
        let indexed = parsedFilter == nil && count != nil && indexOrder
        let wanted = prefix?.lowercased()
        var rows: [ExperimentRow]
        if parsedFilter == nil && count == nil && indexOrder && prefix == nil && wantedColumns == nil && !csv && !json {
            // The whole table in index order: streamed when the scope's profile describes its columns.
            let listed = try journal.experimentScope(line: scope)
            let cache = ExperimentSummaryCache(journal: journal)
            if !listed.entries.isEmpty, try stream(listed, in: journal, cache: cache, scope: scope, by: sortKeys) { return }
            rows = journal.rows(of: listed.entries, in: listed, cache: cache)
        } else {
            rows = try journal.experimentRows(line: scope, hexPrefix: wanted, select: { entries in
                guard indexed, let count else { return entries }
                return Self.first(count, of: entries, by: sortKeys)
            })
        }
        let table = ExperimentTable(rows: rows)
        let known = parsedFilter != nil || sort != nil || wantedColumns != nil ? table.knownFields : []
        if let parsedFilter, let filter {
            for (field, column) in parsedFilter.fields { try table.check(field, known: known, option: "--where", text: filter, column: column) }
            rows = rows.filter { row in parsedFilter.matches { row.values(of: $0) } }
        }
        for key in sortKeys where sort != nil { try table.check(key.field, known: known, option: "--sort", text: sort!, column: nil) }
        for name in wantedColumns ?? [] { try table.check(name, known: known, option: "--columns", text: columns!, column: nil) }
        rows = ExperimentTable.sorted(rows, by: sortKeys)
        if let count { rows = Array(rows.prefix(count)) }

        if json {
            Output.json(.array(rows.map(\.json)))
            return
        }
        let shown = ExperimentTable(rows: rows)
        if csv {
            let names = wantedColumns ?? shown.defaultColumns(allParams: true, everything: true)
            Output.line(names.map { Self.csvField(ExperimentTable.heading($0)) }.joined(separator: ","))
            for row in rows { Output.line(names.map { Self.csvField(ExperimentTable.cell(row, $0, full: true)) }.joined(separator: ",")) }
            return
        }
        if rows.isEmpty {
            Output.line(table.rows.isEmpty ? (prefix.map { "No run key or experiment id starts with \($0)." }
                                               ?? "No experiments recorded on \(scope.map { "line \($0)" } ?? "any line") yet.")
                                           : "No experiment matches.")
            return
        }
        var names = wantedColumns ?? shown.defaultColumns(allParams: allParams, everything: false)
        func cells(_ columns: [String]) -> [[String]] {
            [columns.map(ExperimentTable.heading)] + rows.map { row in columns.map { ExperimentTable.cell(row, $0, full: false) } }
        }
        var dropped: [String] = []
        if wantedColumns == nil, let width = ExperimentTable.terminalWidth() {
            (names, dropped) = ExperimentTable.fit(names, lineWidth: { Output.table(cells($0)).map(\.count).max() ?? 0 }, width: width - 1)
        }
        for text in Output.table(cells(names), indent: "") { Output.line(text) }
        if !dropped.isEmpty {
            Self.noteDropped(dropped)
        }
    }

    /// Prints the table through `ExperimentTableStream`; false (nothing printed) when the scope's
    /// profile cannot decide its cells (a parameter named like a field or a metric) or has no rows.
    func stream(_ listed: ExperimentScope, in journal: LabJournal, cache: ExperimentSummaryCache, scope: String?, by keys: [(field: String, descending: Bool)]) throws -> Bool {
        let store = TableProfileStore(journal: journal, scope: scope.map { "line " + $0 } ?? "every line")
        let profile = store.profile(of: listed.entries, cache: cache)
        guard profile.rows > 0, profile.describesEveryColumn else { return false }
        let table = ExperimentTableStream(journal: journal, scope: listed, profile: profile, cache: cache)
        var names = table.columns(allParams: allParams)
        // Each column's width once: fitting the terminal tries several sets of columns.
        let widths = Dictionary(zip(names, table.widths(of: names)), uniquingKeysWith: { first, _ in first })
        var dropped: [String] = []
        if let width = ExperimentTable.terminalWidth() {
            (names, dropped) = ExperimentTable.fit(names, lineWidth: { kept in
                kept.reduce(0) { $0 + widths[$1]! } + 2 * (kept.count - 1)
            }, width: width - 1)
        }
        // A row that could not be read after all leaves the profile wider than the rows: made anew next time.
        if table.write(columns: names, widths: names.map { widths[$0]! }, by: keys) { store.discard() }
        if !dropped.isEmpty {
            Self.noteDropped(dropped)
        }
        return true
    }

    static func noteDropped(_ dropped: [String]) {
        Output.line("(\(dropped.count) column\(dropped.count == 1 ? "" : "s") left out to fit the terminal: \(dropped.joined(separator: ", ")); --columns or --csv shows them)")
    }

    /// The first `count` index entries in the order `ExperimentTable.sorted` gives their rows, for keys
    /// the index holds (date, experiment, run key), in one pass that keeps the best `count` so far.
    /// - Parameter after: only entries that come after this one.
    static func first(_ count: Int, of entries: [RunIndexEntry], by keys: [(field: String, descending: Bool)], after: RunIndexEntry? = nil) -> [RunIndexEntry] {
        var best: [Int] = []
        for index in entries.indices {
            if let after, !precedes(after, entries[index], by: keys) { continue }
            if best.count == count {
                guard precedes(entries[index], entries[best[count - 1]], by: keys) else { continue }
                best.removeLast()
            }
            let position = best.firstIndex { !precedes(entries[$0], entries[index], by: keys) } ?? best.count
            best.insert(index, at: position)
        }
        return best.map { entries[$0] }
    }

    /// Whether `left` comes before `right`: a missing date sorts last, ties go by experiment id.
    static func precedes(_ left: RunIndexEntry, _ right: RunIndexEntry, by keys: [(field: String, descending: Bool)]) -> Bool {
        for (field, descending) in keys {
            switch field {
            case "date":
                let a = left.started > 0 ? left.started : nil, b = right.started > 0 ? right.started : nil
                if a == b { continue }
                guard let a else { return false }
                guard let b else { return true }
                return descending ? a > b : a < b
            case "run_key":
                if left.runKey == right.runKey { continue }
                return descending ? left.runKey > right.runKey : left.runKey < right.runKey
            default:
                if left.experiment == right.experiment { continue }
                return descending ? left.experiment > right.experiment : left.experiment < right.experiment
            }
        }
        return left.experiment < right.experiment
    }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
