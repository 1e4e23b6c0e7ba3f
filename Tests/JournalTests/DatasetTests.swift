import Foundation
import Testing
import XJTestSupport
@testable import Journal

@Suite struct DatasetTests {
    @Test func digitsManifest() throws {
        try withScratchJournal { journal, _ in
            let added = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            let manifest = try #require(added.manifest)
            #expect(manifest.rows == 1797)
            #expect(manifest.columns.count == 65)
            #expect(manifest.label == "target")
            #expect(manifest.task == .classification)
            #expect(manifest.classes == (0...9).map { .number(Double($0)) })
            let pixel1 = manifest.columns[1]
            #expect(pixel1.name == "pixel_1")
            // numpy: digits.data[:, 1].mean(), .std() (population)
            #expect(abs(pixel1.mean! - 0.3038397328881469) < 1e-12)
            #expect(abs(pixel1.standardDeviation! - 0.9069396416225765) < 1e-12)
            #expect(manifest.columns[0].maximum == 0)
            #expect(manifest.bytes == 267_083)
            // The stored bytes are the file's bytes.
            let dataset = try journal.dataset(named: "digits")
            #expect(try journal.repository.blob(dataset.data) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.digitsPath))))
        }
    }

    /// However the file is cut into chunks, the scan gives the same manifest.
    @Test(arguments: [1, 3, 64, 4096]) func chunkingDoesNotMatter(chunk: Int) throws {
        let text = "name,\"note, with comma\",value\r\n\"a \"\"quoted\"\" one\",\"multi\nline\",1.5\r\nb,plain,NA\r\n\nc,x,-2e3\r\n"
        let bytes = Array(text.utf8)
        var whole = CSVScanner(source: "t.csv", label: nil)
        try bytes.withUnsafeBytes { try whole.consume($0) }
        let expected = try whole.finish(totalBytes: UInt64(bytes.count))
        var pieces = CSVScanner(source: "t.csv", label: nil)
        try pieces.consume(bytes, chunk: chunk)
        let manifest = try pieces.finish(totalBytes: UInt64(bytes.count))
        #expect(manifest == expected)
        #expect(manifest.rows == 3)
        #expect(manifest.columns.map(\.name) == ["name", "note, with comma", "value"])
        #expect(manifest.columns[2].missing == 1)
        #expect(manifest.columns[2].minimum == -2000)
        #expect(manifest.task == .regression)
        #expect(manifest.columns[0].kind == .categorical && manifest.columns[0].distinct == 3)
    }

    @Test func npyDataset() throws {
        try withScratchJournal { journal, folder in
            let values: [Float] = [0.5, 1, 0, 1.5, 2, 1, -1, .nan, 0]
            let path = try writeFile(folder, "x.npy", Fixtures.npy(rows: 3, columns: 3, values: values))
            let added = try journal.addDataset(file: path, name: nil, label: nil)
            let manifest = try #require(added.manifest)
            #expect(added.name == "x")
            #expect(manifest.format == .npy && manifest.dtype == "<f4")
            #expect(manifest.rows == 3 && manifest.columns.count == 3)
            #expect(manifest.label == "col_2")
            #expect(manifest.classes == [.number(0), .number(1)])
            #expect(manifest.columns[1].missing == 1)
            #expect(abs(manifest.columns[0].mean! - 1.0 / 3) < 1e-12)
            let dataset = try journal.dataset(named: "x")
            #expect(try journal.repository.entry(at: "data.npy", in: dataset.id) != nil)
        }
    }

    /// Bad input: one clear message naming the file and line, and the journal does not change.
    @Test(arguments: [
        ("ragged.csv", "a,b,c\n1,2,3\n4,5\n", nil, "ragged.csv line 3: has 2 fields, the header has 3"),
        ("nonnum.csv", "a,b\n1,2\n3,x\n", nil, "nonnum.csv line 3, column `b`: expected a number, got \"x\""),
        ("empty.csv", "", nil, "empty.csv: the file is empty"),
        ("header.csv", "a,b,c\n", nil, "header.csv: has a header row but no data rows"),
        ("label.csv", "a,b\n1,2\n", "nope", "label.csv: no label column `nope`; the columns are a, b"),
        ("garbage.csv", "a,b\n1,\u{0}\u{1}\n", nil, "garbage.csv line 2: contains binary data (a NUL byte); not a CSV text file"),
        ("unclosed.csv", "a,b\n1,\"open\n", nil, "unclosed.csv line 2: a quoted field is never closed"),
        ("dupe.csv", "a,a\n1,2\n", nil, "dupe.csv line 1: column name \"a\" appears twice in the header"),
        ("bad.npy", "\u{93}NUMPX", nil, "bad.npy: not a NumPy .npy file (the magic bytes \\x93NUMPY are missing)"),
        ("data.txt", "a\n1\n", nil, "data.txt: a dataset must be a .csv or .npy file, or text added with --text"),
    ] as [(String, String, String?, String)])
    func badDatasets(_ name: String, _ text: String, _ label: String?, _ message: String) throws {
        try withScratchJournal { journal, folder in
            let path = try writeFile(folder, name, text)
            let before = try snapshot(of: journal.path)
            do {
                _ = try journal.addDataset(file: path, name: nil, label: label)
                Issue.record("expected an error for \(name)")
            } catch {
                #expect("\(error)".hasSuffix(message))
            }
            #expect(try snapshot(of: journal.path) == before)
        }
    }

    @Test func truncatedNpyIsRefused() throws {
        try withScratchJournal { journal, folder in
            let bytes = Fixtures.npy(rows: 2, columns: 2, values: [1, 2, 3, 4])
            let path = try writeFile(folder, "cut.npy", Array(bytes.dropLast(3)))
            #expect(throws: JournalError.invalidDataset(source: "cut.npy", location: nil, message: "the header's shape (2, 2) of <f4 needs 144 bytes, the file has 141")) {
                try journal.addDataset(file: path, name: nil, label: nil)
            }
            #expect(try journal.stagedRecords().isEmpty)
        }
    }

    @Test(arguments: ["a/b", "..", ".hidden", "-x", "tab\there", ""]) func hostileNames(_ name: String) throws {
        try withScratchJournal { journal, folder in
            let path = try writeFile(folder, "ok.csv", Fixtures.tinyCSV)
            #expect(throws: JournalError.self) { try journal.addDataset(file: path, name: name, label: nil) }
            #expect(try journal.stagedRecords().isEmpty)
        }
    }
}
