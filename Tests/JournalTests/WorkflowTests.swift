import Foundation
import Testing
import XJTestSupport
@testable import Journal

@Suite struct WorkflowTests {
    @Test func commitLogBranchSwitchDiff() throws {
        try withScratchJournal { journal, folder in
            #expect(try journal.currentBranch() == "main")
            _ = try journal.addDataset(file: try writeFile(folder, "tiny.csv", Fixtures.tinyCSV), name: "tiny", label: "y")
            _ = try journal.addParameterSet(try ParameterSet.parse(assignments: ["lr=0.1", "hidden=64"]), name: "base")
            #expect(try journal.stagedRecords().map(\.path) == ["datasets/tiny", "params/base"])
            let first = try journal.commit(message: "add the tiny data")
            #expect(first.changeSummary == "+dataset tiny, +params base")
            #expect(try journal.stagedRecords().isEmpty)
            #expect(throws: JournalError.nothingStaged) { try journal.commit(message: "again") }

            // Adding the same bytes again stages nothing.
            let again = try journal.addParameterSet(try ParameterSet.parse(assignments: ["hidden=64.0", "lr=1e-1"]), name: "base")
            #expect(again.outcome == .unchanged)

            _ = try journal.createBranch("dropout-study")
            try journal.switchBranch(to: "dropout-study")
            _ = try journal.addParameterSet(try ParameterSet.parse(assignments: ["lr=0.1", "hidden=64", "dropout=0.5"]), name: "base")
            _ = try journal.commit(message: "try dropout")
            #expect(try journal.log().map(\.note) == ["try dropout", "add the tiny data"])
            #expect(try journal.log().first?.commit.message == "try dropout\n\nRecorded: ~params base\n")
            #expect(try journal.log(from: "main").count == 1)
            #expect(try journal.linesOfInquiry().map { "\($0.isCurrent ? "*" : "")\($0.name)" } == ["*dropout-study", "main"])

            let diff = try journal.diff("main", "dropout-study")
            #expect(diff.records.count == 1)
            #expect(diff.records[0].values == [ValueChange(key: "dropout", old: nil, new: .number(0.5))])

            #expect(throws: JournalError.branchExists("main")) { try journal.createBranch("main") }
            #expect(throws: JournalError.unknown(kind: "line of inquiry", name: "nope")) { try journal.switchBranch(to: "nope") }
            #expect(try journal.fsck(full: true).isClean)
        }
    }

    @Test func showFindsByNameAndByIDPrefix() throws {
        try withScratchJournal { journal, folder in
            let added = try journal.addDataset(file: try writeFile(folder, "tiny.csv", Fixtures.tinyCSV), name: "tiny", label: nil)
            guard case let .dataset(byName) = try journal.show("tiny") else { Issue.record("not a dataset"); return }
            #expect(byName.id.object == added.id)
            guard case let .dataset(byPrefix) = try journal.show(String(added.id.hex.prefix(8))) else { Issue.record("not a dataset"); return }
            #expect(byPrefix.manifest == byName.manifest)
            let record = try journal.commit(message: "tiny")
            guard case let .record(head) = try journal.show("HEAD") else { Issue.record("not a commit"); return }
            #expect(head.commit.id == record.commit.id)
            #expect(throws: JournalError.self) { try journal.show("nothing-here") }
        }
    }

    /// A corrupted object is found by fsck, naming it.
    @Test func fsckFindsACorruptObject() throws {
        try withScratchJournal { journal, folder in
            let added = try journal.addDataset(file: try writeFile(folder, "tiny.csv", Fixtures.tinyCSV), name: "tiny", label: "y")
            _ = try journal.commit(message: "tiny")
            let data = try journal.dataset(named: "tiny").data.hex
            let objectPath = journal.path + "/objects/" + data.prefix(2) + "/" + data.dropFirst(2)
            chmod(objectPath, 0o644)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: objectPath)))
            bytes[bytes.count - 8] ^= 0xff
            try Data(bytes).write(to: URL(fileURLWithPath: objectPath))
            let report = try journal.fsck(full: true)
            #expect(!report.isClean)
            #expect(report.problems.contains { $0.contains(String(data.prefix(7))) })
            _ = added
        }
    }

    @Test func locateWalksUpAndHonoursExplicitPaths() throws {
        try withScratchJournal { journal, folder in
            let deep = folder + "/a/b/c"
            try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
            #expect(try LabJournal.locate(explicit: nil, from: deep).path == journal.path)
            #expect(try LabJournal.locate(explicit: journal.path, from: "/").path == journal.path)
            #expect(try LabJournal.locate(explicit: folder, from: "/").path == journal.path)
            #expect(throws: JournalError.notInJournal(start: "/")) { try LabJournal.locate(explicit: nil, from: "/") }
            #expect(throws: JournalError.journalExists(path: journal.path)) { try LabJournal.create(in: folder) }
        }
    }
}
