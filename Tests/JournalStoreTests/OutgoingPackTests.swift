import Foundation
import Testing
import Training
import XJTestSupport
@testable import JournalStore

/// The pack a push writes itself (`OutgoingPackWriter`, `outgoingObjects`): whatever mix of loose
/// objects, packed whole objects and deltas the journal holds, the remote ends with exactly what the
/// pushed commits reach, git's strict fsck accepts it, and a damaged packed entry fails the push
/// without moving the remote's ref.
@Suite struct OutgoingPackTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    /// Text of about 6 KB that changes a little between versions, so `git repack` stores deltas.
    func text(_ generator: inout SeededGenerator, base: Int) -> [UInt8] {
        var lines: [String] = []
        for line in 0..<150 { lines.append("line \(line) of file \(base): \(line * base % 97) \(Int.random(in: 0..<4, using: &generator) == 0 ? "edited" : "kept")") }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// One commit on `main` that rewrites a few random files of `files` folders.
    func commitRound(_ repository: GitRepository, _ generator: inout SeededGenerator, round: Int) throws -> CommitID {
        let parent = try repository.referenceTarget("refs/heads/main").map(CommitID.init)
        let root = try parent.map { try repository.commit($0).tree }
        var edits: [String: TreeEntry?] = [:]
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let folder = Int.random(in: 0..<5, using: &generator), file = Int.random(in: 0..<4, using: &generator)
            let blob = try repository.writeBlob(text(&generator, base: folder * 10 + file))
            edits["f\(folder)/sub\(file % 2)/file\(file).txt"] = .blob("file\(file).txt", blob)
        }
        edits["round.txt"] = .blob("round.txt", try repository.writeBlob(Array("\(round)".utf8)))
        let tree = try repository.editTree(root, edits)
        let commit = try repository.writeCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: "round \(round)\n", author: signature)
        try repository.updateReference("refs/heads/main", to: commit.object, expecting: parent?.object, message: "test")
        return commit
    }

    func git(_ repository: String, _ arguments: [String]) throws -> ProcessResult {
        try BuiltBinary.git(["--git-dir", repository] + arguments, in: "/")
    }

    /// Every object `main` reaches, as git lists them.
    func reachable(_ repository: String) throws -> Set<String> {
        Set(try git(repository, ["rev-list", "--objects", "refs/heads/main"]).stdout.split(separator: "\n").map { String($0.prefix(40)) })
    }

    /// Random rounds of edits; the journal is repacked (with deltas) or left loose at random, and pushed
    /// after some rounds (so one push carries several versions of a file) to a path and over `git daemon`.
    @Test(arguments: [1, 2, 3] as [UInt64]) func randomHistoriesArriveWhole(seed: UInt64) throws {
        try withScratchDirectory { folder in
            var generator = SeededGenerator(seed: seed)
            let local = try GitRepository.create(at: folder + "/local.git")
            let onPath = try GitRepository.create(at: folder + "/path.git")
            _ = try GitRepository.create(at: folder + "/daemon.git")
            let daemon = try GitDaemon(basePath: folder)
            defer { daemon.stop() }
            try local.addRemote("origin", url: daemon.url("daemon.git"))
            for round in 0..<10 {
                _ = try commitRound(local, &generator, round: round)
                guard round == 9 || Int.random(in: 0..<3, using: &generator) == 0 else { continue }
                if round == 0 || Bool.random(using: &generator) {
                    #expect(try git(local.path, ["repack", "-adq", "--window=20"]).status == 0)
                }
                try local.pushLocally(to: onPath.path, references: ["refs/heads/main"], trackingPrefix: "refs/remotes/path/")
                #expect(try local.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"]).isEmpty)
                for remote in [onPath.path, folder + "/daemon.git"] {
                    let fsck = try git(remote, ["fsck", "--strict"])
                    #expect(fsck.status == 0, "round \(round): \(fsck.stderr)")
                    #expect(try reachable(remote) == reachable(local.path), "round \(round)")
                    #expect(try git(remote, ["rev-parse", "refs/heads/main"]).stdout == git(local.path, ["rev-parse", "refs/heads/main"]).stdout)
                }
            }
            #expect(try local.referenceTarget("refs/remotes/origin/main") == local.referenceTarget("refs/heads/main"))
        }
    }

    /// The delta entries of each pack in `repository`.
    func deltaCount(_ repository: String) throws -> Int {
        let folder = repository + "/objects/pack/"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".idx") }.reduce(0) { count, index in
            let listing = try git(repository, ["verify-pack", "-v", folder + index]).stdout
            return count + listing.split(separator: "\n").filter { $0.split(separator: " ", omittingEmptySubsequences: true).count == 7 }.count
        }
    }

    /// A journal with `rounds` commits and an empty bare remote, in `folder`.
    func journalAndRemote(_ folder: String, seed: UInt64, rounds: Int) throws -> (GitRepository, GitRepository, SeededGenerator) {
        var generator = SeededGenerator(seed: seed)
        let local = try GitRepository.create(at: folder + "/local.git")
        let remote = try GitRepository.create(at: folder + "/remote.git")
        for round in 0..<rounds { _ = try commitRound(local, &generator, round: round) }
        return (local, remote, generator)
    }

    /// Deltas the journal stored go out as deltas (their bases go too), not expanded and compressed again.
    @Test func storedDeltasAreSentAsDeltas() throws {
        try withScratchDirectory { folder in
            let (local, remote, _) = try journalAndRemote(folder, seed: 4, rounds: 8)
            #expect(try git(local.path, ["repack", "-adq", "--window=20"]).status == 0)
            let stored = try deltaCount(local.path)
            #expect(stored > 10)
            try local.pushLocally(to: remote.path, references: ["refs/heads/main"], trackingPrefix: "refs/remotes/r/")
            #expect(try deltaCount(remote.path) == stored)
            #expect(try git(remote.path, ["fsck", "--strict"]).status == 0)
        }
    }

    /// A push of one more commit sends what changed, not the journal again.
    @Test func anIncrementalPushSendsOnlyWhatChanged() throws {
        try withScratchDirectory { folder in
            var (local, remote, generator) = try journalAndRemote(folder, seed: 7, rounds: 10)
            try local.pushLocally(to: remote.path, references: ["refs/heads/main"], trackingPrefix: "refs/remotes/r/")
            let old = try #require(try local.referenceTarget("refs/heads/main"))
            let new = try commitRound(local, &generator, round: 10)
            let store = PackedObjectStore(objectsDirectory: local.path + "/objects")
            let sent = Set(try local.outgoingObjects(tips: [new.object], known: [old], store: store).map(\.hex))
            let needed = Set(try git(local.path, ["rev-list", "--objects", "\(old.hex)..\(new.hex)"]).stdout.split(separator: "\n").map { String($0.prefix(40)) })
            #expect(sent == needed)
        }
    }

    /// A packed entry whose bytes no longer match the index's CRC-32 is not copied: the object is read
    /// through libgit2, which finds it corrupt, and the push fails with the remote unchanged.
    @Test func aDamagedPackedEntryFailsThePushAndMovesNothing() throws {
        try withScratchDirectory { folder in
            var generator = SeededGenerator(seed: 11)
            let local = try GitRepository.create(at: folder + "/local.git")
            let remote = try GitRepository.create(at: folder + "/remote.git")
            _ = try commitRound(local, &generator, round: 0)
            try local.pushLocally(to: remote.path, references: ["refs/heads/main"], trackingPrefix: "refs/remotes/r/")
            let before = try remote.referenceTarget("refs/heads/main")
            _ = try commitRound(local, &generator, round: 1)
            #expect(try git(local.path, ["repack", "-adq"]).status == 0)
            let packFolder = local.path + "/objects/pack/"
            let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: packFolder).first { $0.hasSuffix(".pack") })
            // Damage the entry of a blob this push must send (the file the last round wrote).
            let listing = try git(local.path, ["verify-pack", "-v", packFolder + pack.replacingOccurrences(of: ".pack", with: ".idx")]).stdout
            let tip = try #require(try local.referenceTarget("refs/heads/main"))
            let round = try #require(try local.entry(at: "round.txt", in: try local.commit(CommitID(tip)).tree))
            let line = try #require(listing.split(separator: "\n").first { $0.hasPrefix(round.id.hex) })
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let offset = try #require(Int(fields[4])), length = try #require(Int(fields[3]))
            let handle = try #require(FileHandle(forUpdatingAtPath: packFolder + pack))
            try handle.seek(toOffset: UInt64(offset + length - 2))
            let byte = try #require(try handle.read(upToCount: 1)).first!
            try handle.seek(toOffset: UInt64(offset + length - 2))
            try handle.write(contentsOf: [byte ^ 0xff])
            try handle.close()
            #expect(throws: (any Error).self) {
                try local.pushLocally(to: remote.path, references: ["refs/heads/main"], trackingPrefix: "refs/remotes/r/")
            }
            #expect(try remote.referenceTarget("refs/heads/main") == before)
            #expect(try git(remote.path, ["fsck", "--strict"]).status == 0)
        }
    }

    /// Offset deltas turned into ref deltas (for a receive-pack that does not advertise `ofs-delta`)
    /// still index into the same objects.
    @Test func refDeltasIndexLikeOffsetDeltas() throws {
        try withScratchDirectory { folder in
            var generator = SeededGenerator(seed: 5)
            let local = try GitRepository.create(at: folder + "/local.git")
            for round in 0..<6 { _ = try commitRound(local, &generator, round: round) }
            #expect(try git(local.path, ["repack", "-adq", "--window=20"]).status == 0)
            let tip = try #require(try local.referenceTarget("refs/heads/main"))
            let store = PackedObjectStore(objectsDirectory: local.path + "/objects")
            let objects = try local.outgoingObjects(tips: [tip], known: [], store: store)
            var pack: [UInt8] = []
            try OutgoingPackWriter(repository: local, store: store, offsetDeltas: false).write(objects) { pack.append(contentsOf: $0) }
            let path = folder + "/refdeltas.pack"
            FileManager.default.createFile(atPath: path, contents: Data(pack))
            let target = try GitRepository.create(at: folder + "/target.git")
            let indexed = try BuiltBinary.run("/bin/sh", ["-c", "git --git-dir='\(target.path)' index-pack --stdin < '\(path)'"], in: "/")
            #expect(indexed.status == 0, "\(indexed.stderr)")
            #expect(try git(target.path, ["update-ref", "refs/heads/main", tip.hex]).status == 0)
            #expect(try git(target.path, ["fsck", "--strict"]).status == 0)
            #expect(try reachable(target.path) == reachable(local.path))
        }
    }

    /// Random deltas and damaged pack files never read outside their bytes: they give nil.
    @Test func malformedDeltasAndPackFilesAreRefused() throws {
        var generator = SeededGenerator(seed: 3)
        let base = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for _ in 0..<2000 {
            let delta = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let result = GitDelta.apply(delta, to: base) { #expect(result.count <= 1 << 24) }
        }
        // A copy that runs past the base, and an insert that runs past the delta.
        #expect(GitDelta.apply([44, 10, 0x91, 40, 10], to: Array(base.prefix(44))) == nil)
        #expect(GitDelta.apply([3, 5, 5, 1, 2], to: [1, 2, 3]) == nil)
        #expect(GitDelta.apply([3, 3, 0x90, 3], to: [1, 2, 3]) == [1, 2, 3])
        try withScratchDirectory { folder in
            let local = try GitRepository.create(at: folder + "/local.git")
            var rounds = SeededGenerator(seed: 9)
            _ = try commitRound(local, &rounds, round: 0)
            #expect(try git(local.path, ["repack", "-adq"]).status == 0)
            let packFolder = local.path + "/objects/pack/"
            let index = try #require(try FileManager.default.contentsOfDirectory(atPath: packFolder).first { $0.hasSuffix(".idx") })
            let original = try #require(FileManager.default.contents(atPath: packFolder + index))
            for cut in [0, 7, 1000, original.count / 2, original.count - 1] {
                try Data(original.prefix(cut)).write(to: URL(fileURLWithPath: packFolder + index))
                #expect(PackFile(indexPath: packFolder + index) == nil, "an index cut at \(cut)")
            }
            for _ in 0..<50 {
                var damaged = [UInt8](original)
                for _ in 0..<8 { damaged[Int.random(in: 8..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
                try Data(damaged).write(to: URL(fileURLWithPath: packFolder + index))
                if let pack = PackFile(indexPath: packFolder + index) {
                    for offset in [0, 12, 100, 5000] { _ = pack.header(at: offset).flatMap { pack.inflate($0, with: ZlibInflater()) } }
                }
            }
        }
    }
}
