import Foundation
import JournalStore

/// The experiments a verdict reads, by column: what each experiment ran with (its parameters as given,
/// dataset, command, status) as indices into tables of distinct values, and each metric as a column of
/// numbers. Over 100,000 experiments most values repeat, so a selector or a check for pooled conditions
/// decides once per distinct value and then compares indices, where a dictionary per experiment made
/// the verdict read and hash every parameter of every experiment (Docs/Performance.md, "Judging").
///
/// Built row by row, in the order of the experiments, from the summary cache's records
/// (`append(encoded:id:)`) or from summaries; both paths give the same table, value for value.
public struct ExperimentColumns: Sendable {
    /// The experiment of each row.
    public private(set) var ids: [ObjectID] = []
    /// Distinct statuses (`ok`, `failed`, `diverged`) and each row's.
    public private(set) var statuses: [String] = []
    public private(set) var statusOfRow: [Int32] = []
    /// Distinct datasets and each row's (-1: none, an `xj run` experiment).
    public private(set) var datasets: [TreeID] = []
    public private(set) var datasetOfRow: [Int32] = []
    /// Distinct commands and each row's (-1: none, an `xj train` experiment).
    public private(set) var commands: [[String]] = []
    public private(set) var commandOfRow: [Int32] = []
    /// Whether each row's experiment recorded any curve (a report draws a few of them).
    public private(set) var recordsCurves: [Bool] = []
    /// Distinct parameter values, each decoded once.
    public private(set) var values: [JSONValue] = []
    /// Parameter names, and for each its column: each row's index into `values`, -1 where unset.
    public private(set) var parameterNames: [String] = []
    public private(set) var parameterColumns: [[Int32]] = []
    /// Numeric metric names, and for each its column: each row's number, NaN where the row has none.
    public private(set) var metricNames: [String] = []
    public private(set) var metricColumns: [[Double]] = []
    /// Every metric name a row records, numeric or not (a prediction may name either).
    public private(set) var recordedMetricNames: Set<String> = []

    private var parameterPosition: [String: Int] = [:]
    private var metricPosition: [String: Int] = [:]
    /// Values other than numbers by their encoding (`SummaryRecordCoding`): equal encodings are one value.
    private var valueByEncoding: [[UInt8]: Int32] = [:]
    /// Number values by their bits as encoded (little-endian), beside `valueByEncoding`.
    private var numberIndex: [UInt64: Int32] = [:]
    private var statusLookup: [String: Int32] = [:]
    private var datasetLookup: [TreeID: Int32] = [:]
    private var commandLookup: [[String]: Int32] = [:]
    /// The names of the last row's parameters and metrics in their order, with their columns: rows of one
    /// journal mostly share them, so a name is matched by comparing bytes rather than hashing.
    private var recentParameters: [(name: [UInt8], column: Int, value: [UInt8], index: Int32)] = []
    private var recentMetrics: [(name: [UInt8], column: Int)] = []

    public init() {}

    /// The number of rows.
    public var count: Int { ids.count }

    /// The column of a parameter, if any row sets it.
    public func parameter(_ name: String) -> [Int32]? { parameterPosition[name].map { parameterColumns[$0] } }

    /// The column of a numeric metric, if any row has it.
    public func metric(_ name: String) -> [Double]? { metricPosition[name].map { metricColumns[$0] } }

    /// A row's parameters, as given.
    public func parameters(ofRow row: Int) -> [String: JSONValue] {
        var parameters: [String: JSONValue] = [:]
        for (position, name) in parameterNames.enumerated() where parameterColumns[position][row] >= 0 {
            parameters[name] = values[Int(parameterColumns[position][row])]
        }
        return parameters
    }

    /// A row's numeric metrics.
    public func metrics(ofRow row: Int) -> [String: Double] {
        var metrics: [String: Double] = [:]
        for (position, name) in metricNames.enumerated() where !metricColumns[position][row].isNaN { metrics[name] = metricColumns[position][row] }
        return metrics
    }

    /// A row's status, dataset and command.
    public func status(ofRow row: Int) -> String { statuses[Int(statusOfRow[row])] }
    public func dataset(ofRow row: Int) -> TreeID? { datasetOfRow[row] < 0 ? nil : datasets[Int(datasetOfRow[row])] }
    public func command(ofRow row: Int) -> [String]? { commandOfRow[row] < 0 ? nil : commands[Int(commandOfRow[row])] }

    /// A row's value of a parameter, nil where unset.
    public func value(of name: String, row: Int) -> JSONValue? {
        guard let position = parameterPosition[name] else { return nil }
        let index = parameterColumns[position][row]
        return index < 0 ? nil : values[Int(index)]
    }

    /// The columns of these records (what `ExperimentRecord(summary:)` keeps: given parameters, metrics,
    /// status, dataset, command), in their order.
    public init(records: [ExperimentRecord]) {
        for record in records {
            var numbers: [String: Double] = [:]
            var others: [String] = []
            for (name, value) in record.metrics {
                if case let .number(number) = value { numbers[name] = number } else { others.append(name) }
            }
            append(id: record.id.object, status: record.run["status"]?.stringValue ?? "ok", dataset: record.datasetID, command: record.command,
                   recordsCurves: !record.curves.isEmpty, parameters: record.params, metrics: numbers, otherMetricNames: others)
        }
    }

    /// Appends one experiment's row from its summary.
    public mutating func append(_ summary: ExperimentSummary) {
        append(id: summary.experiment, status: summary.status, dataset: summary.dataset.map(TreeID.init), command: summary.command,
               recordsCurves: summary.hasCurves, parameters: summary.givenParams, metrics: summary.metrics, otherMetricNames: summary.otherMetricNames)
    }

    mutating func append(id: ObjectID, status: String, dataset: TreeID?, command: [String]?, recordsCurves: Bool,
                         parameters: [String: JSONValue], metrics: [String: Double], otherMetricNames: [String]) {
        beginRow(id: id, status: status, dataset: dataset, command: command, recordsCurves: recordsCurves)
        for (name, value) in parameters {
            var encoding: [UInt8] = []
            SummaryRecordCoding.append(value, to: &encoding)
            _ = setParameter(column: parameterColumn(name), to: encoding.withUnsafeBytes { internValue($0) { value } }!)
        }
        for (name, number) in metrics { _ = setMetric(column: metricColumn(name), to: number) }
        for name in otherMetricNames where !recordedMetricNames.contains(name) { recordedMetricNames.insert(name) }
        endRow()
    }

    /// Appends one experiment's row from its record in the summary cache (the payload after the
    /// checksum, already checked), reading only what a verdict needs; false (and nothing appended)
    /// when the bytes are not a well-formed record.
    public mutating func append(encoded payload: UnsafeRawBufferPointer, id: ObjectID) -> Bool {
        let before = (rows: ids.count, names: recordedMetricNames)
        if appendRow(encoded: payload, id: id) { return true }
        // A malformed record leaves no partial row behind (a name it brought may stay, with no value).
        ids.removeLast(ids.count - before.rows)
        statusOfRow.removeLast(statusOfRow.count - before.rows)
        datasetOfRow.removeLast(datasetOfRow.count - before.rows)
        commandOfRow.removeLast(commandOfRow.count - before.rows)
        recordsCurves.removeLast(recordsCurves.count - before.rows)
        for column in parameterColumns.indices { parameterColumns[column].removeLast(parameterColumns[column].count - before.rows) }
        for column in metricColumns.indices { metricColumns[column].removeLast(metricColumns[column].count - before.rows) }
        recordedMetricNames = before.names
        recentParameters = []
        recentMetrics = []
        return false
    }

    /// The format is `SummaryRecordCoding`'s; run key, start time, flagged checks and reported
    /// parameters are stepped over, and a parameter value is decoded only the first time it is seen.
    private mutating func appendRow(encoded payload: UnsafeRawBufferPointer, id: ObjectID) -> Bool {
        var reader = SummaryRecordCoding.Reader(bytes: payload)
        guard reader.skip(20 + 20 + 8), let flags = reader.integer(UInt8.self), flags & ~7 == 0 else { return false }
        var dataset: TreeID?
        if flags & 1 != 0 { guard let raw = reader.id() else { return false }; dataset = TreeID(raw) }
        guard let status = reader.string(), reader.rawString() != nil else { return false }
        var command: [String]?
        if flags & 2 != 0 { guard let words = reader.strings() else { return false }; command = words }
        beginRow(id: id, status: status, dataset: dataset, command: command, recordsCurves: flags & 4 != 0)
        guard reader.integer(UInt8.self) == 6, let parameterCount = reader.count() else { return false }
        for ordinal in 0..<parameterCount {
            guard let name = reader.rawString(), let value = reader.valueBytes(depth: 1) else { return false }
            let column = recentParameterColumn(ordinal, name)
            if Self.same(recentParameters[ordinal].value, value) {
                guard setParameter(column: column, to: recentParameters[ordinal].index) else { return false }
                continue
            }
            var valueReader = SummaryRecordCoding.Reader(bytes: value)
            guard let index = internValue(value, { valueReader.value(depth: 1) }), setParameter(column: column, to: index) else { return false }
            // A number that changes from row to row (a seed) is not worth remembering.
            if value.count != 9 || value[0] != 3 {
                recentParameters[ordinal].value = Array(value)
                recentParameters[ordinal].index = index
            }
        }
        // Reported parameters are not read by a verdict, but checked as the full decode checks them (mostly `{}`).
        guard case .object? = reader.value(depth: 0), let metricCount = reader.count() else { return false }
        for ordinal in 0..<metricCount {
            guard let name = reader.rawString(), let bits = reader.integer(UInt64.self),
                  setMetric(column: recentMetricColumn(ordinal, name), to: Double(bitPattern: bits)) else { return false }
        }
        guard let others = reader.strings(), reader.atEnd else { return false }
        for name in others where !recordedMetricNames.contains(name) { recordedMetricNames.insert(name) }
        endRow()
        return true
    }

    /// Appends the rows of `other` after these: tables of distinct values merged, columns matched by
    /// name. Blocks of rows built on several threads are joined this way, giving the table one pass makes.
    public mutating func append(contentsOf other: ExperimentColumns) {
        let start = ids.count
        ids += other.ids
        let statusMap = other.statuses.map { Self.intern($0, in: &statuses, &statusLookup) }
        statusOfRow += other.statusOfRow.map { statusMap[Int($0)] }
        let datasetMap = other.datasets.map { Self.intern($0, in: &datasets, &datasetLookup) }
        datasetOfRow += other.datasetOfRow.map { $0 < 0 ? -1 : datasetMap[Int($0)] }
        let commandMap = other.commands.map { Self.intern($0, in: &commands, &commandLookup) }
        commandOfRow += other.commandOfRow.map { $0 < 0 ? -1 : commandMap[Int($0)] }
        recordsCurves += other.recordsCurves
        // Every value of `other` is in exactly one of its two lookups.
        var valueMap = [Int32](repeating: -1, count: other.values.count)
        for (bits, index) in other.numberIndex { valueMap[Int(index)] = internNumber(bits) }
        for (encoding, index) in other.valueByEncoding {
            valueMap[Int(index)] = encoding.withUnsafeBytes { internValue($0) { other.values[Int(index)] } }!
        }
        for (position, name) in other.parameterNames.enumerated() {
            parameterColumns[parameterColumn(name, rowsBefore: start)] += other.parameterColumns[position].map { $0 < 0 ? -1 : valueMap[Int($0)] }
        }
        for (position, name) in other.metricNames.enumerated() {
            metricColumns[metricColumn(name, rowsBefore: start)] += other.metricColumns[position]
        }
        recordedMetricNames.formUnion(other.recordedMetricNames)
        endRow()
        recentParameters = []
        recentMetrics = []
    }

    // MARK: Building a row

    private mutating func beginRow(id: ObjectID, status: String, dataset: TreeID?, command: [String]?, recordsCurves curves: Bool) {
        ids.append(id)
        recordsCurves.append(curves)
        statusOfRow.append(Self.intern(status, in: &statuses, &statusLookup))
        datasetOfRow.append(dataset.map { Self.intern($0, in: &datasets, &datasetLookup) } ?? -1)
        commandOfRow.append(command.map { Self.intern($0, in: &commands, &commandLookup) } ?? -1)
    }

    /// Pads every column the row (or rows) did not set.
    private mutating func endRow() {
        for column in parameterColumns.indices where parameterColumns[column].count < ids.count {
            parameterColumns[column] += repeatElement(-1, count: ids.count - parameterColumns[column].count)
        }
        for column in metricColumns.indices where metricColumns[column].count < ids.count {
            metricColumns[column] += repeatElement(.nan, count: ids.count - metricColumns[column].count)
        }
    }

    /// False when the row already set this name (a record that names a parameter twice is malformed).
    private mutating func setParameter(column: Int, to index: Int32) -> Bool {
        guard parameterColumns[column].count < ids.count else { return false }
        parameterColumns[column].append(index)
        return true
    }

    /// A name given twice in one row keeps the last number, as the summary's dictionary does.
    private mutating func setMetric(column: Int, to number: Double) -> Bool {
        if metricColumns[column].count < ids.count { metricColumns[column].append(number) } else { metricColumns[column][ids.count - 1] = number }
        return true
    }

    /// The column of a name, made when new with -1 for the `rowsBefore` rows (by default all but the
    /// row being built).
    private mutating func parameterColumn(_ name: String, rowsBefore: Int? = nil) -> Int {
        if let position = parameterPosition[name] { return position }
        parameterNames.append(name)
        parameterColumns.append([Int32](repeating: -1, count: rowsBefore ?? ids.count - 1))
        parameterPosition[name] = parameterNames.count - 1
        return parameterNames.count - 1
    }

    /// As `parameterColumn`, with NaN for the rows before.
    private mutating func metricColumn(_ name: String, rowsBefore: Int? = nil) -> Int {
        if let position = metricPosition[name] { return position }
        recordedMetricNames.insert(name)
        metricNames.append(name)
        metricColumns.append([Double](repeating: .nan, count: rowsBefore ?? ids.count - 1))
        metricPosition[name] = metricNames.count - 1
        return metricNames.count - 1
    }

    private mutating func recentParameterColumn(_ ordinal: Int, _ name: UnsafeRawBufferPointer) -> Int {
        if ordinal < recentParameters.count, Self.same(recentParameters[ordinal].name, name) { return recentParameters[ordinal].column }
        let column = parameterColumn(String(decoding: name.bindMemory(to: UInt8.self), as: UTF8.self))
        let entry = (name: Array(name), column: column, value: [UInt8](), index: Int32(-1))
        if ordinal < recentParameters.count { recentParameters[ordinal] = entry } else { recentParameters.append(entry) }
        return column
    }

    private mutating func recentMetricColumn(_ ordinal: Int, _ name: UnsafeRawBufferPointer) -> Int {
        if ordinal < recentMetrics.count, Self.same(recentMetrics[ordinal].name, name) { return recentMetrics[ordinal].column }
        let column = metricColumn(String(decoding: name.bindMemory(to: UInt8.self), as: UTF8.self))
        if ordinal < recentMetrics.count { recentMetrics[ordinal] = (Array(name), column) } else { recentMetrics.append((Array(name), column)) }
        return column
    }

    /// The value's index, decoding it the first time its encoding is seen; nil when it does not decode.
    /// A number (most values: seeds, rates) is looked up by its bits, without an array for its encoding.
    private mutating func internValue(_ encoding: UnsafeRawBufferPointer, _ decode: () -> JSONValue?) -> Int32? {
        if encoding.count == 9, encoding[0] == 3 { return internNumber(encoding.loadUnaligned(fromByteOffset: 1, as: UInt64.self)) }
        let key = Array(encoding)
        if let index = valueByEncoding[key] { return index }
        guard let value = decode() else { return nil }
        values.append(value)
        valueByEncoding[key] = Int32(values.count - 1)
        return Int32(values.count - 1)
    }

    /// A number's index, by its bits as encoded (little-endian).
    private mutating func internNumber(_ bits: UInt64) -> Int32 {
        if let index = numberIndex[bits] { return index }
        values.append(.number(Double(bitPattern: UInt64(littleEndian: bits))))
        numberIndex[bits] = Int32(values.count - 1)
        return Int32(values.count - 1)
    }

    private static func same(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == bytes.count else { return false }
        guard !bytes.isEmpty else { return true }
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }

    private static func intern<T: Hashable>(_ value: T, in table: inout [T], _ lookup: inout [T: Int32]) -> Int32 {
        if let last = table.last, last == value { return Int32(table.count - 1) }
        if let index = lookup[value] { return index }
        table.append(value)
        lookup[value] = Int32(table.count - 1)
        return Int32(table.count - 1)
    }
}
