import Foundation
import Testing
@testable import Journal

/// Adding a dataset, and loading one to train on, read plain numeric lines on several threads
/// (`NumericLineParser`) once a chunk is large enough; fed in small chunks the scanner reads every line
/// itself. The two must give the same values, bit for bit, the same manifest (statistics included),
/// and the same errors.
@Suite struct NumericLineParserTests {
    /// About 2.6 MB of numeric CSV, with `edit(line, text)` applied to each data line (`line` counts from 1 at the header, blank lines included).
    static func csv(rows: Int = 40_000, crlf: Bool = false, edit: ((Int, String) -> String)? = nil) -> [UInt8] {
        let end = crlf ? "\r\n" : "\n"
        var text = "a,b,c,d,e,f,label" + end
        var physicalLine = 2
        for row in 0..<rows {
            // Deterministic values of several shapes: integers, decimals, exponents, negatives.
            let cells = [String(row % 97), String(format: "%.3f", Double(row) * 0.013), "\(-(row % 13))e-2",
                         String(format: "%.6g", sin(Double(row))), "+\(row % 5).5", String(row * 7919 % 100_003), String(row % 4)]
            var line = cells.joined(separator: ",")
            if let edit { line = edit(physicalLine, line) }
            text += line + end
            physicalLine += 1
            if row % 5_000 == 4_999 { text += end; physicalLine += 1 }  // a blank line now and then
        }
        return Array(text.utf8)
    }

    enum Outcome {
        case loaded([UInt32], DatasetManifest)
        case failed(String)

        func get() throws -> ([UInt32], DatasetManifest) {
            switch self {
            case let .loaded(values, manifest): return (values, manifest)
            case let .failed(message): throw ScanFailure(message: message)
            }
        }
    }

    struct ScanFailure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// The scan of `bytes` fed in chunks of `chunk` bytes: the table's value bits and the manifest, or the error.
    static func load(_ bytes: [UInt8], chunk: Int) -> Outcome {
        var scanner = CSVScanner(source: "t.csv", label: "label", collect: true, expectedCells: 0)
        do {
            try scanner.consume(bytes, chunk: chunk)
            let manifest = try scanner.finish(totalBytes: UInt64(bytes.count))
            return .loaded(scanner.table.values.map(\.bitPattern), manifest)
        } catch {
            return .failed("\(error)")
        }
    }

    /// The first cell whose bits differ (a count mismatch differs at the shorter end): nil when equal.
    /// A mismatch names one position instead of printing a million values.
    static func firstDifference(_ a: [UInt32], _ b: [UInt32]) -> Int? {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? (a.count == b.count ? nil : min(a.count, b.count))
    }

    static func compare(_ bytes: [UInt8]) -> (Outcome, Outcome) {
        // 64 KiB chunks stay below the threaded path's threshold; 1 MiB chunks (the object reader's) take it.
        (load(bytes, chunk: 64 << 10), load(bytes, chunk: 1 << 20))
    }

    /// The manifest `xj add` computes (no values collected), fed in chunks of `chunk` bytes.
    static func manifest(_ bytes: [UInt8], chunk: Int) throws -> DatasetManifest {
        var scanner = CSVScanner(source: "t.csv", label: "label")
        try scanner.consume(bytes, chunk: chunk)
        return try scanner.finish(totalBytes: UInt64(bytes.count))
    }

    /// Adding a file: the statistics are folded in file order whichever path read a line, so the
    /// manifest is the same, bit for bit, with missing cells among the lines too.
    @Test func addingGivesTheSameManifestEitherWay() throws {
        let bytes = Self.csv { line, text in line % 7_919 == 0 ? text.replacingOccurrences(of: ",", with: ",NA,", options: [], range: nil)
            .split(separator: ",", omittingEmptySubsequences: false).prefix(7).joined(separator: ",") : text }
        let sequential = try Self.manifest(bytes, chunk: 64 << 10)
        let threaded = try Self.manifest(bytes, chunk: 1 << 20)
        #expect(threaded == sequential)
        #expect(sequential.rows == 40_000 && sequential.columns.contains { $0.missing > 0 })
        #expect(sequential.columns.allSatisfy { $0.kind == .numeric && $0.mean != nil })
    }

    @Test(arguments: [false, true]) func plainNumbersMatchTheLineByLineScan(crlf: Bool) throws {
        let (sequential, threaded) = Self.compare(Self.csv(crlf: crlf))
        let (values, manifest) = try sequential.get()
        let (threadedValues, threadedManifest) = try threaded.get()
        #expect(manifest.rows == 40_000)
        #expect(values.count == 40_000 * 7)
        #expect(Self.firstDifference(threadedValues, values) == nil)
        #expect(threadedManifest.rows == manifest.rows)
        #expect(threadedManifest.classes == manifest.classes && manifest.classes.count == 4)
        #expect(threadedManifest.disagreement(with: manifest) == nil)
    }

    /// Missing cells, spaces and a quoted field late in the file: the threads stop at the line and the
    /// scanner reads on; the values still match.
    @Test(arguments: ["NA", "", " 3.5 ", "\"7\"", "nan"]) func linesThatAreNotPlainNumbersAreReadByTheScanner(cell: String) throws {
        let bytes = Self.csv { line, text in
            line % 9_001 == 0 ? text.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .map { $0.offset == 2 ? cell : String($0.element) }.joined(separator: ",") : text
        }
        let (sequential, threaded) = Self.compare(bytes)
        let values = try sequential.get().0
        #expect(Self.firstDifference(try threaded.get().0, values) == nil)
        #expect(values.count == 40_000 * 7)
    }

    /// The same error, naming the same line, whichever path met it.
    @Test(arguments: [
        (30_123, "x", "t.csv line 30123, column `c`: expected a number, got \"x\""),
        (25_000, "1e39", "t.csv line 25000, column `c`: 1e+39 is out of float32 range (magnitude at most 3.4e38), which training computes in"),
        (31_000, "1,2", "t.csv line 31000: has 8 fields, the header has 7"),
    ] as [(Int, String, String)])
    func errorsNameTheLineEitherWay(line: Int, cell: String, message: String) throws {
        let bytes = Self.csv { number, text in
            number == line ? text.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .map { $0.offset == 2 ? cell : String($0.element) }.joined(separator: ",") : text
        }
        let (sequential, threaded) = Self.compare(bytes)
        guard case let .failed(expected) = sequential, case let .failed(found) = threaded else {
            Issue.record("expected both scans to fail")
            return
        }
        #expect(found == expected)
        #expect(expected.hasSuffix(message))
    }
}

extension CSVScanner {
    /// Feeds `bytes` in chunks of `chunk` bytes, as a file read piece by piece would.
    mutating func consume(_ bytes: [UInt8], chunk: Int) throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try bytes[offset..<end].withUnsafeBytes { try consume($0) }
            offset = end
        }
    }
}
