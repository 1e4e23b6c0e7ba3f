import Testing
import XJTestSupport
@testable import JournalStore

@Suite struct ReferenceTests {
    @Test func compareAndSwapRefusesAStaleExpectation() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)
            let tree = try repository.writeTree([])
            let first = try repository.writeCommit(tree: tree, parents: [], message: "one\n", author: signature)
            let second = try repository.writeCommit(tree: tree, parents: [first], message: "two\n", author: signature)
            try repository.updateReference("refs/heads/main", to: first.object, expecting: nil, message: "create")
            #expect(throws: StoreError.referenceMoved(name: "refs/heads/main")) {
                try repository.updateReference("refs/heads/main", to: second.object, expecting: nil, message: "again")
            }
            #expect(throws: StoreError.referenceMoved(name: "refs/heads/main")) {
                try repository.updateReference("refs/heads/main", to: second.object, expecting: second.object, message: "stale")
            }
            try repository.updateReference("refs/heads/main", to: second.object, expecting: first.object, message: "advance")
            #expect(try repository.referenceTarget("refs/heads/main") == second.object)
            #expect(try repository.history(from: [second]) == [second, first])
        }
    }

    @Test func headStartsOnMain() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            #expect(try repository.headReferenceName() == "refs/heads/main")
            #expect(throws: StoreError.alreadyExists(path: folder + "/repo.git")) { try GitRepository.create(at: folder + "/repo.git") }
        }
    }

    @Test(arguments: ["refs/heads/ok", "refs/heads/a/b"]) func validNames(_ name: String) {
        #expect(GitRepository.isValidReferenceName(name))
    }

    @Test(arguments: ["refs/heads/a..b", "refs/heads/a b", "refs/heads/x.lock", "refs/heads/tab\tname", "refs/heads/"]) func invalidNames(_ name: String) {
        #expect(!GitRepository.isValidReferenceName(name))
    }
}
