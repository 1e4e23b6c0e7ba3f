import Foundation
import Journal

/// `xj runs` as a stream: the columns and their widths come from the scope's `TableProfile` and the
/// run index's entries, so rows are decoded and printed a screenful at a time in index order (newest
/// first by default). `xj runs | head` of 100,000 experiments stops after the first screen; the
/// output is the same text the whole table gives (a test compares the two).
struct ExperimentTableStream {
    let journal: LabJournal
    let scope: ExperimentScope
    let profile: TableProfile
    let cache: ExperimentSummaryCache

    /// Rows in the first chunk: a screen. Later chunks double, so the summary file is walked a few
    /// times, not once per screen.
    static let firstChunk = 64
    /// Rows picked by passes over the entries before the rest is sorted.
    static let selectedRows = 960

    /// The default columns, as `ExperimentTable.defaultColumns(allParams:everything: false)` chooses them.
    func columns(allParams: Bool) -> [String] {
        var columns = ["experiment", "date", "line"]
        if !profile.datasets.isEmpty { columns.append("dataset") }
        columns.append("model")
        columns += allParams ? profile.parameters.keys.sorted() : profile.varyingParameters
        columns += profile.shownMetrics
        columns.append("status")
        if profile.checksWidth > 0 { columns.append("checks") }
        if scope.entries.contains(where: { !(scope.tags[$0.experiment] ?? []).isEmpty }) { columns.append("tag") }
        return columns
    }

    /// Each column's widest cell, heading included.
    func widths(of columns: [String]) -> [Int] {
        columns.map { column in
            let cells: Int
            if let width = profile.width(of: column) {
                cells = width
            } else {
                switch column {
                case "date": cells = dateWidth
                case "line": cells = lineWidth
                case "dataset": cells = profile.datasets.map { scope.datasetNames[$0]?.count ?? 7 }.reduce(1, max)
                default: cells = tagWidth
                }
            }
            return max(cells, ExperimentTable.heading(column).count)
        }
    }

    private var dateWidth: Int {
        let started = scope.entries.map(\.started).filter { $0 > 0 }
        let undated = started.count < scope.entries.count ? 1 : 0
        guard let first = started.min(), let last = started.max() else { return undated }
        return max(undated, Output.date(Date(timeIntervalSince1970: first)).count, Output.date(Date(timeIntervalSince1970: last)).count)
    }

    private var lineWidth: Int {
        // Neighbouring entries mostly share their first ref: its name's width is kept while it repeats.
        var last = "", lastWidth = 0
        var widest = 0
        for entry in scope.entries {
            guard let first = entry.references.first else { widest = max(widest, 1); continue }
            if first != last {
                last = first
                lastWidth = RunIndexEntry.shortName(first).count
            }
            widest = max(widest, lastWidth + (entry.references.count > 1 ? 2 + String(entry.references.count - 1).count : 0))
        }
        return widest
    }

    private var tagWidth: Int {
        scope.entries.reduce(0) { widest, entry in
            let tags = scope.tags[entry.experiment] ?? []
            return max(widest, tags.isEmpty ? 1 : tags.sorted().joined(separator: ",").count)
        }
    }

    /// Prints the heading and every row in `keys`' order (index fields only), a chunk at a time.
    /// - Returns: whether any listed experiment could not be read (left out, as the whole table does).
    func write(columns: [String], widths: [Int], by keys: [(field: String, descending: Bool)]) -> Bool {
        let damagedBefore = journal.damagedExperiments.count
        guard emit([columns.map(ExperimentTable.heading)], widths: widths) else { return false }
        // The first screens are picked from the entries after the last one printed, in one pass each;
        // the rest is sorted once they are out (a reader like `head` has gone by then).
        var printed = 0, size = Self.firstChunk
        var last: RunIndexEntry?
        while printed < Self.selectedRows && printed < scope.entries.count {
            let chunk = Runs.first(size, of: scope.entries, by: keys, after: last)
            guard emit(rows(chunk, columns), widths: widths) else { return journal.damagedExperiments.count > damagedBefore }
            printed += chunk.count
            last = chunk.last
            size *= 2
        }
        guard printed < scope.entries.count else { return journal.damagedExperiments.count > damagedBefore }
        let order = Self.order(scope.entries, by: keys)
        var start = printed
        while start < order.count {
            let chunk = order[start..<min(start + size, order.count)].map { scope.entries[$0] }
            guard emit(rows(chunk, columns), widths: widths) else { break }
            start += chunk.count
            size = min(size * 2, 16_384)
        }
        return journal.damagedExperiments.count > damagedBefore
    }

    /// The entries' positions in `keys`' order (as `Runs.precedes`). A lone date key, the default,
    /// sorts numbers and id prefixes instead of comparing entries (100,000 of them).
    static func order(_ entries: [RunIndexEntry], by keys: [(field: String, descending: Bool)]) -> [Int] {
        guard keys.count == 1, keys[0].field == "date" else {
            return entries.indices.sorted { Runs.precedes(entries[$0], entries[$1], by: keys) }
        }
        let descending = keys[0].descending
        // A missing date sorts last whichever the direction.
        var keyed = entries.indices.map { position -> (date: Double, id: UInt64, position: Int) in
            let started = entries[position].started
            return (started > 0 ? (descending ? -started : started) : .infinity, entries[position].experiment.leadingWord, position)
        }
        keyed.sort { left, right in
            if left.date != right.date { return left.date < right.date }
            if left.id != right.id { return left.id < right.id }
            return entries[left.position].experiment < entries[right.position].experiment
        }
        return keyed.map(\.position)
    }

    private func rows(_ entries: [RunIndexEntry], _ columns: [String]) -> [[String]] {
        journal.rows(of: entries, in: scope, cache: cache).map { row in columns.map { ExperimentTable.cell(row, $0, full: false) } }
    }

    /// Writes the lines in one write; false once the reader has gone (a closed pipe), to stop quietly.
    private func emit(_ cells: [[String]], widths: [Int]) -> Bool {
        guard !cells.isEmpty else { return true }
        var text = Output.table(cells, widths: widths, indent: "").joined(separator: "\n")
        text += "\n"
        return text.utf8CString.withUnsafeBytes { buffer in
            DescriptorWriting.writeAll(STDOUT_FILENO, UnsafeRawBufferPointer(rebasing: buffer.dropLast()))
        }
    }
}
