import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import JournalStore

/// The check of what a fetch or clone brought in splits its work between two cores past 512
/// records: it must find every problem either core meets, in the order one core would report them.
@Suite struct IncomingChecksTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    /// A commit on `main` holding parameter sets `p0000`… (canonical JSON) with `broken` replaced.
    func commitParameterSets(_ repository: GitRepository, count: Int, broken: [Int: String], parent: CommitID?) throws -> CommitID {
        var entries: [TreeEntry] = []
        for index in 0..<count {
            let text = broken[index] ?? "{\"lr\":\(index)}"
            entries.append(.blob(String(format: "p%04d", index), try repository.writeBlob(Array(text.utf8))))
        }
        let params = try repository.writeTree(entries)
        let root = try repository.writeTree([.tree(JournalLayout.params, params)])
        let commit = try repository.writeCommit(tree: root, parents: parent.map { [$0] } ?? [], message: "sets\n", author: signature)
        try repository.updateReference("refs/heads/main", to: commit.object, expecting: parent?.object, message: "t")
        return commit
    }

    @Test(arguments: [100, 900]) func everyProblemIsFoundInOrder(count: Int) throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/j.git")
            let last = count - 10
            let first = try commitParameterSets(repository, count: count, broken: [3: "{ \"lr\": 1 }", last: "[1]"], parent: nil)
            let second = try commitParameterSets(repository, count: count + 1, broken: [3: "{ \"lr\": 1 }", last: "[1]", count: "{\"b\":1,\"a\":2}"], parent: first)
            #expect(try BuiltBinary.git(["--git-dir", repository.path, "repack", "-adq"], in: "/").status == 0)
            let journal = LabJournal(repository: try GitRepository.open(at: repository.path))
            let problems = try journal.incomingProblems(tips: [second], hiding: [], limit: 100)
            let name = { (index: Int) in String(format: "p%04d", index) }
            #expect(problems == [
                "commit \(second.short) params/\(name(count)): not in canonical JSON form",
                "commit \(first.short) params/\(name(3)): not in canonical JSON form",
                "commit \(first.short) params/\(name(last)): not a JSON object",
            ])
        }
    }
}
