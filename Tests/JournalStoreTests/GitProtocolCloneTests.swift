import Foundation
import Testing
import Training
import XJTestSupport
@testable import JournalStore

/// A clone over git:// through xj's own upload-pack client and pack indexer: the index it writes is
/// byte for byte the one `git index-pack` writes, git's strict fsck accepts the clone, a damaged or
/// hostile pack is refused in one line without a read outside it, and a refused clone leaves nothing.
@Suite struct GitProtocolCloneTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    func git(_ repository: String, _ arguments: [String]) throws -> ProcessResult {
        try BuiltBinary.git(["--git-dir", repository] + arguments, in: "/")
    }

    /// A repository with `rounds` commits on main, each rewriting a few files of a few folders with
    /// text that changes a little, repacked so the pack holds deltas.
    func makeHistory(at path: String, seed: UInt64, rounds: Int = 8) throws -> GitRepository {
        var generator = SeededGenerator(seed: seed)
        let repository = try GitRepository.create(at: path)
        var parent: CommitID?
        for round in 0..<rounds {
            let root = try parent.map { try repository.commit($0).tree }
            var edits: [String: TreeEntry?] = [:]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let folder = Int.random(in: 0..<5, using: &generator), file = Int.random(in: 0..<4, using: &generator)
                let lines = (0..<120).map { "line \($0) of \(folder)/\(file): \(Int.random(in: 0..<5, using: &generator) == 0 ? "edited" : "kept")" }
                edits["f\(folder)/sub\(file % 2)/file\(file).txt"] = .blob("file\(file).txt", try repository.writeBlob(Array(lines.joined(separator: "\n").utf8)))
            }
            let tree = try repository.editTree(root, edits)
            let commit = try repository.writeCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: "round \(round)\n", author: signature)
            try repository.updateReference("refs/heads/main", to: commit.object, expecting: parent?.object, message: "test")
            parent = commit
        }
        #expect(try git(path, ["repack", "-adq", "--window=20"]).status == 0)
        return repository
    }

    /// The pack `git pack-objects` makes of everything main reaches, with offset or ref deltas.
    func pack(of repository: String, offsetDeltas: Bool) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("xj-pack-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try BuiltBinary.run("/bin/sh", ["-c", "echo refs/heads/main | git --git-dir '\(repository)' pack-objects --revs --stdout -q \(offsetDeltas ? "--delta-base-offset" : "") > '\(output)'"], in: "/")
        #expect(result.status == 0, "\(result.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// The `.idx` git writes for `pack`, or nil when git refuses the pack.
    func gitIndex(_ pack: [UInt8], in folder: String) throws -> [UInt8]? {
        let packPath = folder + "/probe.pack", indexPath = folder + "/probe.idx"
        try? FileManager.default.removeItem(atPath: indexPath)
        FileManager.default.createFile(atPath: packPath, contents: Data(pack))
        let result = try BuiltBinary.git(["index-pack", "--strict", "-o", indexPath, packPath], in: folder)
        guard result.status == 0 else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: indexPath)))
    }

    /// xj's index of `pack`, or the error it refused it with.
    func xjIndex(_ pack: [UInt8], largestObject: Int = 32 << 20) -> Result<[UInt8]?, Error> {
        Result {
            try pack.withUnsafeBytes { bytes in
                var indexer = IncomingPackIndexer(pack: bytes, source: "git://test/j.git")
                indexer.largestObject = largestObject
                return try indexer.index().map { PackIndexWriter.bytes(of: $0.entries, packChecksum: $0.checksum) }
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func aCloneOverGitDaemonIsWhatGitWouldWrite(seed: UInt64) throws {
        try withScratchDirectory { folder in
            let served = try makeHistory(at: folder + "/served.git", seed: seed)
            let daemon = try GitDaemon(basePath: folder)
            defer { daemon.stop() }
            let clone = try GitRepository.clone(daemon.url("served.git"), to: folder + "/clone.git")
            let fsck = try git(clone.path, ["fsck", "--strict"])
            #expect(fsck.status == 0, "\(fsck.stderr)")
            #expect(try clone.referenceTarget("refs/remotes/origin/main") == served.referenceTarget("refs/heads/main"))
            #expect(try clone.headReferenceName() == "refs/heads/main")
            #expect(try clone.remotes().map(\.url) == [daemon.url("served.git")])
            #expect(try git(clone.path, ["rev-list", "--objects", "refs/remotes/origin/main"]).stdout
                    == git(served.path, ["rev-list", "--objects", "refs/heads/main"]).stdout)
            // The index is byte for byte git's own for the same pack.
            let packs = try FileManager.default.contentsOfDirectory(atPath: clone.path + "/objects/pack").filter { $0.hasSuffix(".pack") }
            #expect(packs.count == 1)
            let pack = Array(try Data(contentsOf: URL(fileURLWithPath: clone.path + "/objects/pack/" + packs[0])))
            let ours = Array(try Data(contentsOf: URL(fileURLWithPath: clone.path + "/objects/pack/" + packs[0].replacingOccurrences(of: ".pack", with: ".idx"))))
            #expect(try gitIndex(pack, in: folder) == ours)
            // What the indexer kept is what the pack holds, and its trees are judged sound.
            let inflated = try #require(clone.inflatedObjects)
            #expect(inflated.count == Int(try git(clone.path, ["rev-list", "--objects", "--all"]).stdout.split(separator: "\n").count))
            #expect(inflated.treesAreSound())
        }
    }

    @Test(arguments: [true, false]) func offsetAndRefDeltaPacksIndexAsGitIndexesThem(offsetDeltas: Bool) throws {
        try withScratchDirectory { folder in
            let served = try makeHistory(at: folder + "/served.git", seed: 7, rounds: 12)
            let pack = try pack(of: served.path, offsetDeltas: offsetDeltas)
            let expected = try #require(try gitIndex(pack, in: folder))
            #expect(try xjIndex(pack).get() == expected)
        }
    }

    /// git writes a delta's base first, but the protocol does not promise it: the same ref-delta pack
    /// with its entries in reverse order indexes as git indexes it.
    @Test func refDeltasSentBeforeTheirBasesAreResolved() throws {
        try withScratchDirectory { folder in
            let served = try makeHistory(at: folder + "/served.git", seed: 9, rounds: 10)
            let pack = try pack(of: served.path, offsetDeltas: false)
            let starts = try pack.withUnsafeBytes { try #require(try IncomingPackIndexer(pack: $0, source: "t").index()) }.entries.map(\.offset).sorted()
            let bounds = starts + [pack.count - 20]
            var reversed = Array(pack[0..<12])
            for index in stride(from: starts.count - 1, through: 0, by: -1) { reversed += pack[bounds[index]..<bounds[index + 1]] }
            let hasher = SHA1Hasher()
            reversed.withUnsafeBytes { hasher.update($0) }
            reversed += hasher.finish().bytes
            #expect(starts.contains { (pack[$0] >> 4) & 7 == 7 }, "the pack has no ref deltas to reorder")
            let expected = try #require(try gitIndex(reversed, in: folder))
            #expect(try xjIndex(reversed).get() == expected)
        }
    }

    /// Packs damaged at random (a byte changed, a run cut out, the object count changed), with their
    /// checksum made right again so the damage reaches the parser: whatever xj accepts, git accepts
    /// and indexes identically; everything else is one `StoreError.network`.
    @Test func damagedPacksAreRefusedOrIndexedAsGitIndexesThem() throws {
        try withScratchDirectory { folder in
            let served = try makeHistory(at: folder + "/served.git", seed: 11, rounds: 5)
            let good = try pack(of: served.path, offsetDeltas: true)
            var generator = SeededGenerator(seed: 5)
            var refused = 0
            for round in 0..<150 {
                var damaged = Array(good.dropLast(20))
                switch round % 3 {
                case 0:
                    let position = Int.random(in: 0..<damaged.count, using: &generator)
                    damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
                case 1:
                    let start = Int.random(in: 12..<damaged.count, using: &generator)
                    damaged.removeSubrange(start..<min(damaged.count, start + Int.random(in: 1...40, using: &generator)))
                default:
                    damaged[11] = damaged[11] &+ UInt8.random(in: 1...3, using: &generator)
                }
                let hasher = SHA1Hasher()
                damaged.withUnsafeBytes { hasher.update($0) }
                damaged += hasher.finish().bytes
                switch xjIndex(damaged) {
                case let .success(index):
                    #expect(try gitIndex(damaged, in: folder) == index, "round \(round): xj accepted what git does not index the same way")
                case let .failure(error):
                    refused += 1
                    guard case let StoreError.network(_, problem) = error else { Issue.record("round \(round): \(error)"); continue }
                    #expect(problem.hasPrefix("the pack it sent is damaged: ") && !problem.contains("\n"))
                }
            }
            #expect(refused > 100)
            // A wrong checksum, a cut trailer and a foreign header are refused before any parsing.
            var flipped = good
            flipped[flipped.count - 1] ^= 1
            for (bytes, problem) in [(flipped, "checksum"), (Array(good.prefix(40)), "checksum"), (Array("JUNK".utf8) + good.dropFirst(4), "pack header")] {
                guard case let .failure(StoreError.network(_, message)) = xjIndex(bytes) else { Issue.record("accepted: \(problem)"); continue }
                #expect(message.contains(problem), "\(message)")
            }
        }
    }

    @Test func aPackWithAnObjectPastTheLimitIsLeftToLibgit2() throws {
        try withScratchDirectory { folder in
            let served = try makeHistory(at: folder + "/served.git", seed: 3, rounds: 2)
            let pack = try pack(of: served.path, offsetDeltas: true)
            #expect(try xjIndex(pack, largestObject: 100).get() == nil)
            #expect(try xjIndex(pack).get() != nil)
        }
    }

    @Test func treesWithABadNameOrAMissingObjectAreNotSound() throws {
        for (name, bytesOf) in [("..", { (blob: ObjectID) in Array("100644 ..\0".utf8) + blob.bytes }),
                                (".GIT", { (blob: ObjectID) in Array("100644 .GIT\0".utf8) + blob.bytes }),
                                ("twice", { (blob: ObjectID) in Array("100644 a\0".utf8) + blob.bytes + Array("100644 a\0".utf8) + blob.bytes }),
                                ("missing", { (_: ObjectID) in Array("100644 a\0".utf8) + [UInt8](repeating: 7, count: 20) }),
                                ("blob as a folder", { (blob: ObjectID) in Array("40000 a\0".utf8) + blob.bytes })] {
            let blobBody = Array("x".utf8)
            let blob = try #require(GitRepository.hashObject(.blob, blobBody))
            let treeBody = bytesOf(blob)
            let tree = try #require(GitRepository.hashObject(.tree, treeBody))
            let sorted = [(blob, ObjectKind.blob, blobBody), (tree, ObjectKind.tree, treeBody)].sorted { $0.0 < $1.0 }
            let objects = InflatedObjects(ids: sorted.map(\.0), kinds: sorted.map(\.1), bodies: sorted.map(\.2))
            #expect(!objects.treesAreSound(), "\(name)")
        }
    }

    static let sideBandAdvertisement = ScriptedGitServer.packet(String(repeating: "a", count: 40) + " refs/heads/main\0side-band-64k ofs-delta\n") + Array("0000".utf8)

    static let misbehaviours: [(String, [UInt8], String)] = [
        ("refusal", ScriptedGitServer.packet("ERR access denied\n"), "the server refused: access denied"),
        ("no NAK", sideBandAdvertisement + ScriptedGitServer.packet("ACK nonsense\n"), "expected NAK"),
        ("an error in band 3", sideBandAdvertisement + ScriptedGitServer.packet("NAK\n") + ScriptedGitServer.packet("\u{3}pack-objects died\u{1b}[2J\n"),
         "the server failed: pack-objects died?[2J?"),
        ("an unknown band", sideBandAdvertisement + ScriptedGitServer.packet("NAK\n") + ScriptedGitServer.packet("\u{5}x"), "side-band 5"),
        ("a cut pack", sideBandAdvertisement + ScriptedGitServer.packet("NAK\n") + ScriptedGitServer.packet("\u{1}PACK\0\0\0\u{2}\0\0\0\u{1}"), "closed the connection"),
        ("a short pack", sideBandAdvertisement + ScriptedGitServer.packet("NAK\n") + ScriptedGitServer.packet("\u{1}PACK\0\0\0\u{2}") + Array("0000".utf8),
         "the pack it sent is damaged"),
        ("a bad branch name", ScriptedGitServer.packet(String(repeating: "a", count: 40) + " refs/heads/a..b\0side-band-64k\n") + Array("0000".utf8),
         "not a valid ref name"),
    ]

    @Test(arguments: 0..<misbehaviours.count) func aMisbehavingServerFailsTheCloneInOneLineAndLeavesNothing(index: Int) throws {
        let (name, reply, expected) = Self.misbehaviours[index]
        try withScratchDirectory { folder in
            let server = try ScriptedGitServer(reply: reply)
            defer { server.stop() }
            do {
                _ = try GitRepository.clone(server.url("j.git"), to: folder + "/clone.git")
                Issue.record("\(name): the clone succeeded")
            } catch {
                let message = "\(error)"
                #expect(message.contains(expected) && !message.contains("\n"), "\(name): \(message)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/clone.git"), "\(name): a failed clone left a folder")
        }
    }
}
