import Foundation
import Testing
import XJTestSupport
@testable import Journal
import JournalStore

/// The columns a verdict reads from the summary cache equal those built from the summaries the cache
/// holds, row for row and in the order asked, on one thread or in joined blocks; a damaged or malformed
/// record is never read as a row.
@Suite struct ExperimentColumnsTests {
    static func id(_ position: Int) -> ObjectID {
        ObjectID(bytes: [UInt8(position >> 8), UInt8(position & 0xff)] + [UInt8](repeating: 9, count: 18))
    }

    /// Summaries that vary in everything a row holds: parameter kinds, sets of names, statuses, datasets,
    /// commands, numeric and other metrics.
    static func summary(_ position: Int) -> ExperimentSummary {
        var given: [String: JSONValue] = ["seed": .number(Double(position)), "lr": .number([0.1, 0.01, 0.001][position % 3]),
                                          "activation": .string(position % 5 == 0 ? "tanh" : "relu")]
        if position % 7 == 0 { given["hidden"] = .array([.number(64), .number(Double(position % 4))]) }
        if position % 11 == 0 { given["schedule"] = .object(["kind": "step", "every": .number(10)]) }
        if position % 13 == 0 { given["shuffle"] = .bool(position % 2 == 0) }
        if position % 17 == 0 { given["note"] = .null }
        if position % 19 == 0 { given["dropout"] = .number(position % 2 == 0 ? 0.0 : -0.0) }
        // Records longer than the first read of 1 KB, which are read again whole.
        if position % 97 == 0 { given["comment"] = .string(String(repeating: "long ", count: 200 + position % 500)) }
        var metrics: [String: Double] = ["val_loss": Double(position) / 1000]
        if position % 3 == 0 { metrics["val_accuracy"] = 0.5 }
        let dataset = position % 4 == 3 ? nil : ObjectID(bytes: [UInt8](repeating: UInt8(position % 2 + 1), count: 20))
        return ExperimentSummary(experiment: id(position), runKey: id(position), started: 0,
                                 status: ["ok", "ok", "ok", "diverged", "failed"][position % 5], dataset: dataset,
                                 command: dataset == nil ? ["python3", "train.py", "--fold", String(position % 2)] : nil,
                                 givenParams: given, reportedParams: position % 6 == 0 ? ["epochs": .number(5)] : [:], metrics: metrics,
                                 otherMetricNames: position % 9 == 0 ? ["confusion"] : [], flaggedChecks: position % 8 == 0 ? "warn K102" : "",
                                 hasCurves: position % 10 < 3)
    }

    static func rows(_ columns: ExperimentColumns) -> [String] {
        (0..<columns.count).map { row in
            [columns.ids[row].hex, columns.status(ofRow: row), columns.dataset(ofRow: row)?.hex ?? "-", columns.command(ofRow: row)?.joined(separator: " ") ?? "-",
             columns.recordsCurves[row] ? "curves" : "-",
             String(decoding: CanonicalJSON.bytes(.object(columns.parameters(ofRow: row))), as: UTF8.self),
             columns.metrics(ofRow: row).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.bitPattern)" }.joined(separator: ",")].joined(separator: " ")
        }
    }

    func writeCache(_ journal: LabJournal, _ records: [[UInt8]]) throws {
        try FileManager.default.createDirectory(atPath: journal.path + "/xj", withIntermediateDirectories: true)
        try Data(ExperimentSummaryCache.header + records.flatMap { $0 }).write(to: URL(fileURLWithPath: journal.path + "/xj/summaries"))
    }

    @Test func columnsFromTheCacheEqualThoseOfItsSummariesInBlocksOrOneByOne() throws {
        try withScratchJournal { journal, _ in
            let summaries = (0..<6_000).map(Self.summary)
            try writeCache(journal, summaries.map(ExperimentSummaryCache.record))
            // Asked in another order than the file's: rows follow the order asked.
            let asked = (0..<6_000).map { ($0 * 7) % 6_000 }
            var expected = ExperimentColumns()
            for position in asked { expected.append(summaries[position]) }
            let (columns, missing) = ExperimentSummaryCache(journal: journal).columns(of: asked.map(Self.id))
            #expect(missing.isEmpty)
            #expect(Self.rows(columns) == Self.rows(expected))
            #expect(columns.recordedMetricNames == ["val_loss", "val_accuracy", "confusion"])
            // -0 and 0 stay two encodings but one JSON value, as a verdict compares them.
            let dropout = try #require(columns.parameter("dropout"))
            #expect(Set(dropout.filter { $0 >= 0 }.map { columns.values[Int($0)] }).count == 1)
            // A small set is read on one thread and agrees too.
            let few = Array(asked.prefix(100))
            var expectedFew = ExperimentColumns()
            for position in few { expectedFew.append(summaries[position]) }
            #expect(Self.rows(ExperimentSummaryCache(journal: journal).columns(of: few.map(Self.id)).columns) == Self.rows(expectedFew))
        }
    }

    /// Records are found through the index and, past what it covers, by walking the tail; an index of
    /// another layout of the file (rewritten meanwhile) is never trusted.
    @Test func recordsAreFoundThroughTheIndexItsTailOrAStaleIndexAlike() throws {
        try withScratchJournal { journal, _ in
            let summaries = (0..<5_100).map(Self.summary)
            let records = summaries.map(ExperimentSummaryCache.record)
            try writeCache(journal, Array(records[..<5_000]))
            let indexPath = journal.path + "/xj/summaries.idx"
            var expected = ExperimentColumns()
            for summary in summaries { expected.append(summary) }
            _ = ExperimentSummaryCache(journal: journal).columns(of: (0..<5_000).map(Self.id))
            let index = try #require(FileManager.default.contents(atPath: indexPath), "the first read writes the index")
            let handle = try #require(FileHandle(forWritingAtPath: journal.path + "/xj/summaries"))
            handle.seekToEndOfFile()
            handle.write(Data(records[5_000...].flatMap { $0 }))
            handle.closeFile()
            let (appended, missing) = ExperimentSummaryCache(journal: journal).columns(of: (0..<5_100).map(Self.id))
            #expect(missing.isEmpty)
            #expect(Self.rows(appended) == Self.rows(expected))
            #expect(FileManager.default.contents(atPath: indexPath) == index, "a short tail is walked, the index kept")
            // The same records in reverse order: the file has the same size, so the index covers it all but points elsewhere.
            try writeCache(journal, records.reversed())
            try Data(index).write(to: URL(fileURLWithPath: indexPath))
            #expect(Self.rows(ExperimentSummaryCache(journal: journal).columns(of: (0..<5_100).map(Self.id)).columns) == Self.rows(expected))
        }
    }

    @Test func aDamagedRecordAndAMalformedOneAreLeftOutAndTheRestKeepTheirOrder() throws {
        try withScratchJournal { journal, _ in
            let summaries = (0..<5_000).map(Self.summary)
            var records = summaries.map(ExperimentSummaryCache.record)
            // 1,234 fails its checksum; 3,210 passes it but its flags byte is not one xj writes.
            records[1_234][40] ^= 0xff
            var payload = Array(records[3_210][12...])
            payload[48] = 0x80
            records[3_210] = [UInt8](records[3_210][0..<4]) + withUnsafeBytes(of: payload.withUnsafeBytes(ExperimentSummaryCache.fnv).littleEndian, Array.init) + payload
            try writeCache(journal, records)
            // The scratch journal has no such experiments to read instead: both are missing, nothing shifts.
            let (columns, missing) = ExperimentSummaryCache(journal: journal).columns(of: (0..<5_000).map(Self.id))
            #expect(Set(missing) == [Self.id(1_234), Self.id(3_210)])
            var expected = ExperimentColumns()
            for position in 0..<5_000 where position != 1_234 && position != 3_210 { expected.append(summaries[position]) }
            #expect(Self.rows(columns) == Self.rows(expected))
        }
    }

    /// Generated bad records: a record is read as a row exactly when the full decode accepts it, then as
    /// the same row, and one it refuses leaves the table as it was.
    @Test func aRowIsReadExactlyWhenTheFullDecodeAcceptsIt() throws {
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<3_000 {
            var payload = SummaryRecordCoding.encode(Self.summary(round % 200))
            switch round % 3 {
            case 0: payload[Int.random(in: 20..<payload.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 1: payload.removeLast(Int.random(in: 1...min(40, payload.count - 20), using: &generator))
            default: payload.insert(UInt8.random(in: 0...6, using: &generator), at: Int.random(in: 48..<payload.count, using: &generator))
            }
            var columns = ExperimentColumns()
            columns.append(Self.summary(1))
            let before = Self.rows(columns)
            let decoded = payload.withUnsafeBytes(SummaryRecordCoding.decode)
            let read = payload.withUnsafeBytes { columns.append(encoded: $0, id: Self.id(round % 200)) }
            #expect(read == (decoded != nil), "round \(round)")
            if let decoded, read {
                accepted += 1
                var expected = ExperimentColumns()
                expected.append(Self.summary(1))
                expected.append(decoded)
                #expect(Self.rows(columns) == Self.rows(expected), "round \(round)")
            } else {
                #expect(Self.rows(columns) == before, "round \(round)")
            }
        }
        #expect(accepted > 100, "some changes keep a record well formed (a changed number or letter)")
        // Reported parameters that are a list, not an object: refused by both, though a verdict never reads them.
        var payload = SummaryRecordCoding.encode(Self.summary(1))
        var reader = SummaryRecordCoding.Reader(bytes: UnsafeRawBufferPointer(start: nil, count: 0))
        let reported = payload.withUnsafeBytes { bytes -> Int in
            reader = SummaryRecordCoding.Reader(bytes: bytes)
            _ = reader.skip(48)
            _ = reader.integer(UInt8.self)
            _ = reader.id()
            _ = reader.string(); _ = reader.string()
            _ = reader.valueBytes(depth: 0)
            return reader.offset
        }
        #expect(payload[reported] == 6)
        payload[reported] = 5
        var columns = ExperimentColumns()
        #expect(payload.withUnsafeBytes(SummaryRecordCoding.decode) == nil)
        #expect(payload.withUnsafeBytes { columns.append(encoded: $0, id: Self.id(1)) } == false)
        #expect(columns.count == 0)
    }
}
