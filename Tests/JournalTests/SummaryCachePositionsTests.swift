import Testing
@testable import Journal
@testable import JournalStore

/// The summary cache finds records by their ids' first 8 bytes: ids sharing those bytes, an id asked
/// twice and an id the file lacks must each get their own answer, and broken framing none.
@Suite struct SummaryCachePositionsTests {
    static func id(_ prefix: UInt8, _ last: UInt8) -> ObjectID {
        ObjectID(bytes: [UInt8](repeating: prefix, count: 8) + [UInt8](repeating: 0, count: 11) + [last])
    }

    static func summary(_ id: ObjectID, loss: Double) -> ExperimentSummary {
        ExperimentSummary(experiment: id, runKey: id, started: 0, status: "ok", dataset: nil, command: nil,
                          givenParams: ["lr": .number(loss)], metrics: ["val_loss": loss], flaggedChecks: "")
    }

    @Test func idsSharingTheirFirstBytesAnIdAskedTwiceAndAMissingOneEachGetTheirOwnAnswer() throws {
        let a = Self.id(1, 1), b = Self.id(1, 2), c = Self.id(2, 1), absent = Self.id(1, 3)
        var file = ExperimentSummaryCache.header
        var ranges: [ObjectID: Range<Int>] = [:]
        for (id, loss) in [(a, 0.1), (b, 0.2), (c, 0.3)] {
            let record = ExperimentSummaryCache.record(Self.summary(id, loss: loss))
            ranges[id] = file.count..<(file.count + record.count)
            file += record
        }
        let found = try #require(ExperimentSummaryCache.positions(file, wanted: [b, absent, a, c, b]))
        #expect(found == [ranges[b], nil, ranges[a], ranges[c], ranges[b]])
        for (index, id) in [b, absent, a, c, b].enumerated() {
            guard let range = found[index] else { continue }
            #expect(ExperimentSummaryCache.summary(in: file, range, id: id)?.metrics["val_loss"] == [a: 0.1, b: 0.2, c: 0.3][id])
        }
        #expect(ExperimentSummaryCache.positions(Array(file.dropLast(3)), wanted: [a]) == nil, "a torn last record")
        #expect(ExperimentSummaryCache.positions(Array("xj-summaries 3\n".utf8), wanted: [a]) == nil, "another version")
        #expect(ExperimentSummaryCache.records(file)?.count == 3)
    }
}
