import Foundation
import Testing
import Training
import XJTestSupport
@testable import JournalStore

/// Reads straight from the packs (`readPacksDirectly`, used by the check of what a clone or fetch
/// brought in) give exactly what libgit2 gives: every object's kind, every tree's entries, every
/// blob's bytes and every path's entry, with deltas and loose objects in the mix; a malformed tree
/// is refused by both.
@Suite struct DirectPackReadsTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    func git(_ repository: String, _ arguments: [String]) throws -> ProcessResult {
        try BuiltBinary.git(["--git-dir", repository] + arguments, in: "/")
    }

    @Test func directReadsEqualLibgit2Reads() throws {
        try withScratchDirectory { folder in
            var generator = SeededGenerator(seed: 21)
            let writer = try GitRepository.create(at: folder + "/j.git")
            var parent: CommitID?
            for round in 0..<12 {
                let root = try parent.map { try writer.commit($0).tree }
                var edits: [String: TreeEntry?] = [:]
                for _ in 0..<4 {
                    let path = "experiments/\(Int.random(in: 0..<3, using: &generator))/e\(Int.random(in: 0..<5, using: &generator))"
                    let text = (0..<80).map { "line \($0) \(Int.random(in: 0..<3, using: &generator))" }.joined(separator: "\n")
                    edits[path + "/params.json"] = .blob("params.json", try writer.writeBlob(Array(text.utf8)))
                    edits[path + "/run.json"] = .blob("run.json", try writer.writeBlob(Array("{\"round\":\(round)}".utf8)))
                }
                let commit = try writer.writeCommit(tree: try writer.editTree(root, edits), parents: parent.map { [$0] } ?? [], message: "\(round)\n", author: signature)
                try writer.updateReference("refs/heads/main", to: commit.object, expecting: parent?.object, message: "t")
                parent = commit
                // Packed with deltas halfway; the later rounds stay loose.
                if round == 7 { #expect(try git(writer.path, ["repack", "-adq", "--window=20"]).status == 0) }
            }
            let listed = try git(writer.path, ["rev-list", "--objects", "--all"]).stdout.split(separator: "\n")
            let ids = listed.compactMap { ObjectID(hex: String($0.prefix(40))) }
            let plain = try GitRepository.open(at: writer.path)
            let direct = try GitRepository.open(at: writer.path)
            direct.readPacksDirectly()
            #expect(try #require(direct.directReads).store.packs.count == 1)
            var trees = 0
            for id in ids {
                let kind = try plain.kind(of: id)
                #expect(try direct.kind(of: id) == kind)
                switch kind {
                case .tree:
                    trees += 1
                    #expect(try direct.tree(TreeID(id)) == plain.tree(TreeID(id)))
                    var paths: [(String, BlobID)] = []
                    try plain.walkBlobs(TreeID(id)) { path, blob in paths.append((path, blob)) }
                    for (path, blob) in paths {
                        #expect(try direct.entry(at: path, in: TreeID(id)) == plain.entry(at: path, in: TreeID(id)))
                        #expect(try direct.blob(blob) == plain.blob(blob))
                    }
                    for odd in ["nothing", "experiments/9", "experiments//e1", "run.json/x", "", "experiments/", "/experiments", "experiments/0/", "experiments/0/e1/run.json/", "experiments/0/e1/run.json//"] {
                        #expect(try direct.entry(at: odd, in: TreeID(id)) == plain.entry(at: odd, in: TreeID(id)), "\(odd)")
                    }
                case .blob:
                    #expect(try direct.blob(BlobID(id)) == plain.blob(BlobID(id)))
                    #expect(throws: StoreError.self) { try direct.tree(TreeID(id)) }
                default:
                    break
                }
            }
            #expect(trees > 30)
        }
    }

    @Test func malformedTreesAreRefusedLikeLibgit2() throws {
        let id = ObjectID(bytes: [UInt8](repeating: 7, count: 20))
        let good = Array("100644 a.txt\0".utf8) + id.bytes + Array("40000 sub\0".utf8) + id.bytes
        let parsed = try DirectPackReads.parseTree(good, id: id)
        #expect(parsed == [TreeEntry(name: "a.txt", kind: .blob, id: id), TreeEntry(name: "sub", kind: .tree, id: id)])
        for bad in [Array("100644a.txt\0".utf8) + id.bytes, Array("1006x4 a\0".utf8) + id.bytes, Array(" a\0".utf8) + id.bytes,
                    Array("100644 \0".utf8) + id.bytes, Array("100644 a\0".utf8) + id.bytes.prefix(10), Array("100644 a".utf8)] {
            #expect(throws: StoreError.self) { try DirectPackReads.parseTree(bad, id: id) }
        }
    }
}
