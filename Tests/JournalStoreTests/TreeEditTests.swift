import Testing
import XJTestSupport
@testable import JournalStore

@Suite struct TreeEditTests {
    /// The names no checkout may write, in any case of `.git`; names merely like them are fine.
    @Test func entryNamesAreJudgedAsACheckoutWouldNeedThem() {
        for bad in ["", ".", "..", ".git", ".GIT", ".Git", "a/b", "tab\there", "del\u{7f}"] {
            #expect(!GitRepository.isValidEntryName(bad), "\(bad.debugDescription)")
        }
        for good in [".gitx", "git", ".gi", "..git", ".gıt", "\u{212A}", "résumé.json", "e1"] {
            #expect(GitRepository.isValidEntryName(good), "\(good.debugDescription)")
        }
    }

    @Test func editsRewriteOnlyTheirPathsAndOverlayUnites() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let a = try repository.writeBlob(Array("a".utf8))
            let b = try repository.writeBlob(Array("b".utf8))
            let base = try repository.editTree(nil, ["x/one": .blob("one", a), "y/two": .blob("two", b)])
            let edited = try repository.editTree(base, ["x/three": .blob("three", b), "y/two": nil])
            #expect(try repository.entry(at: "x/one", in: edited)?.id == a.object)
            #expect(try repository.entry(at: "x/three", in: edited)?.id == b.object)
            #expect(try repository.entry(at: "y", in: edited) == nil)
            // The untouched subtree keeps its id.
            let top = try repository.editTree(nil, ["y/four": .blob("four", a)])
            let union = try repository.overlay(top, on: base)
            #expect(try repository.entry(at: "y/two", in: union)?.id == b.object)
            #expect(try repository.entry(at: "y/four", in: union)?.id == a.object)
            #expect(try repository.entry(at: "x", in: union)?.id == (try repository.entry(at: "x", in: base))?.id)
            #expect(throws: StoreError.invalidPath("x/../y")) { try repository.editTree(base, ["x/../y": .blob("y", a)]) }
        }
    }
}

@Suite struct TreeHashTests {
    /// Hashing a tree without writing gives the id writing it gives, git's entry order included.
    @Test func hashTreeMatchesWriteTree() throws {
        try withScratchDirectory { folder in
            let repository = try GitRepository.create(at: folder + "/repo.git")
            let blob = try repository.writeBlob(Array("x".utf8))
            let sub = try repository.writeTree([.blob("f", blob)])
            let entries: [TreeEntry] = [.blob("a.b", blob), .tree("a", sub), .blob("a-c", blob), .blob("Z", blob), .tree("b", sub)]
            let hashed = try repository.hashTree(entries)
            #expect(try !repository.contains(hashed.object))
            #expect(try repository.writeTree(entries) == hashed)
        }
    }
}
