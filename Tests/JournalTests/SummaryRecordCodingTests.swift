import Foundation
import Testing
import JournalStore
@testable import Journal

/// The summary cache's binary records: what is written is read back, and damaged bytes are refused,
/// never a crash (FORMAT.md, "The summary cache").
@Suite struct SummaryRecordCodingTests {
    static let summary = ExperimentSummary(
        experiment: ObjectID(bytes: Array(0..<20)), runKey: ObjectID(bytes: Array(20..<40)), started: 1_795_168_800.5, status: "diverged",
        dataset: nil, command: ["python3", "train.py", "--C", "0.1", "é"],
        givenParams: ["C": 0.1, "hidden": [64, 32], "name": "a \"quoted\" ünïcode", "flag": true, "none": .null, "nested": ["a": ["b": [1, "x"]]]],
        reportedParams: ["max_iter": 100, "C": 7], metrics: ["val_accuracy": 0.93, "val_loss": -0.0, "huge": 1.7976931348623157e308],
        otherMetricNames: ["note", "best_epoch_text"], flaggedChecks: "warn K301", hasCurves: true)

    @Test func whatIsWrittenIsReadBack() throws {
        let bytes = SummaryRecordCoding.encode(Self.summary)
        let decoded = try #require(bytes.withUnsafeBytes(SummaryRecordCoding.decode))
        #expect(decoded == Self.summary)
        #expect(decoded.params["C"] == 0.1 && decoded.params["max_iter"] == 100, "given values win over reported ones")
        let trained = ExperimentSummary(experiment: Self.summary.runKey, runKey: Self.summary.experiment, started: 0, status: "ok",
                                        dataset: ObjectID(bytes: Array(repeating: 7, count: 20)), command: nil, givenParams: [:],
                                        metrics: [:], flaggedChecks: "")
        #expect(SummaryRecordCoding.encode(trained).withUnsafeBytes(SummaryRecordCoding.decode) == trained)
    }

    @Test func damagedRecordsAreRefusedNeverACrash() {
        let bytes = SummaryRecordCoding.encode(Self.summary)
        for length in 0..<bytes.count {
            #expect(Array(bytes.prefix(length)).withUnsafeBytes(SummaryRecordCoding.decode) == nil, "cut at \(length)")
        }
        #expect((bytes + [0]).withUnsafeBytes(SummaryRecordCoding.decode) == nil, "a byte left over")
        // Every byte replaced by a few values: decoding returns or refuses, and never reads past the end.
        for position in bytes.indices {
            for value: UInt8 in [0x00, 0x07, 0x80, 0xff] {
                var damaged = bytes
                damaged[position] = value
                _ = damaged.withUnsafeBytes(SummaryRecordCoding.decode)
            }
        }
        // Nesting deeper than the limit is refused rather than recursed into.
        var deep: JSONValue = 1
        for _ in 0..<100 { deep = .array([deep]) }
        let nested = ExperimentSummary(experiment: Self.summary.experiment, runKey: Self.summary.runKey, started: 0, status: "ok", dataset: nil,
                                       command: nil, givenParams: ["deep": deep], metrics: [:], flaggedChecks: "")
        #expect(SummaryRecordCoding.encode(nested).withUnsafeBytes(SummaryRecordCoding.decode) == nil)
    }
}
