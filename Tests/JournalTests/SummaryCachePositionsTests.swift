import Foundation
import Testing
import XJTestSupport
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
        let found = try #require(file.withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: [b, absent, a, c, b]) })
        #expect(found == [ranges[b], nil, ranges[a], ranges[c], ranges[b]])
        for (index, id) in [b, absent, a, c, b].enumerated() {
            guard let range = found[index] else { continue }
            #expect(file.withUnsafeBytes { ExperimentSummaryCache.summary(in: $0, range, id: id) }?.metrics["val_loss"] == [a: 0.1, b: 0.2, c: 0.3][id])
        }
        #expect(Array(file.dropLast(3)).withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: [a]) } == nil, "a torn last record")
        #expect(Array("xj-summaries 3\n".utf8).withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: [a]) } == nil, "another version")
        #expect(file.withUnsafeBytes { ExperimentSummaryCache.records($0) }?.count == 3)
    }

    /// The index finds what a walk over the file finds, records appended after it included; an index
    /// of a file since written anew (another layout) is refused, not trusted.
    @Test func theIndexFindsWhatTheWalkFindsAndAStaleIndexIsRefused() throws {
        try withScratchDirectory { folder in
            var file = ExperimentSummaryCache.header
            var ids: [ObjectID] = []
            var generator = SystemRandomNumberGenerator()
            for position in 0..<3_000 {
                let id = ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
                ids.append(id)
                file += ExperimentSummaryCache.record(Self.summary(id, loss: Double(position)))
            }
            // The index covers the first 2,500 records; 500 are appended after it.
            var pairs: [(prefix: UInt64, offset: Int)] = []
            let covered = file.withUnsafeBytes { buffer in
                var end = 0
                _ = ExperimentSummaryCache.forEachRecord(buffer) { _, range in
                    if pairs.count < 2_500 { pairs.append((ObjectID(bytes: Array(file[(range.lowerBound + 12)..<(range.lowerBound + 32)])).leadingWord, range.lowerBound)); end = range.upperBound }
                }
                return end
            }
            let path = folder + "/summaries.idx"
            SummaryCacheIndex.write(pairs, covered: covered, to: path, temporaryFolder: folder)
            let index = try #require(SummaryCacheIndex(path: path, fileSize: file.count))
            #expect(index.count == 2_500 && index.covered == covered)
            let absent = ObjectID(bytes: [UInt8](repeating: 7, count: 20))
            let wanted = [ids[0], ids[2_499], ids[2_500], ids[2_999], absent, ids[17], ids[17]]
            let walked = file.withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: wanted) }
            let looked = file.withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: wanted, index: index) }
            #expect(looked != nil && looked! == walked!)
            #expect(looked?[4] == nil)

            // The same ids in another order: every entry of the old index points at a wrong record.
            var rewritten = ExperimentSummaryCache.header
            for (position, id) in ids.enumerated().reversed() { rewritten += ExperimentSummaryCache.record(Self.summary(id, loss: Double(position))) }
            let stale = rewritten.withUnsafeBytes { ExperimentSummaryCache.positions($0, wanted: [ids[0], ids[1_000]], index: index) }
            #expect(stale == nil, "an index of another layout is refused")
            #expect(SummaryCacheIndex(path: path, fileSize: covered - 1) == nil, "an index longer than the file is refused")
        }
    }
    /// Thousands of summaries are decoded on several threads: each comes back at its own position, in
    /// the order asked, and a damaged record is nil there (its experiment has no objects to recompute
    /// it from) without shifting the others.
    @Test func manySummariesComeBackInTheOrderAskedWithADamagedOneLeftOut() throws {
        try withScratchJournal { journal, _ in
            var file = ExperimentSummaryCache.header
            var ids: [ObjectID] = []
            var damagedOffset = 0
            for position in 0..<6_000 {
                let id = ObjectID(bytes: [UInt8(position >> 8), UInt8(position & 0xff)] + [UInt8](repeating: 7, count: 18))
                ids.append(id)
                if position == 4_321 { damagedOffset = file.count + 40 }
                file += ExperimentSummaryCache.record(Self.summary(id, loss: Double(position)))
            }
            file[damagedOffset] ^= 0xff
            try FileManager.default.createDirectory(atPath: journal.path + "/xj", withIntermediateDirectories: true)
            try Data(file).write(to: URL(fileURLWithPath: journal.path + "/xj/summaries"))
            let asked = Array(ids.reversed())
            let found = ExperimentSummaryCache(journal: journal).summaryList(of: asked)
            #expect(found.count == asked.count)
            let wrong = asked.indices.filter { index in
                let position = 5_999 - index
                return position == 4_321 ? found[index] != nil : found[index]?.metrics["val_loss"] != Double(position) || found[index]?.experiment != asked[index]
            }
            #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        }
    }
}
