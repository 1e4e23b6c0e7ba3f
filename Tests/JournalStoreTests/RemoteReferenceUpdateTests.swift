import Foundation
import Testing
import XJTestSupport
@testable import JournalStore

/// Compare-and-swap of arbitrary refs on a remote (cluster sweeps' task refs), on a path and over
/// `git daemon`: a stale expectation changes nothing, a fresh one moves or deletes the ref.
@Suite struct RemoteReferenceUpdateTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    func commits(_ repository: GitRepository) throws -> (CommitID, CommitID) {
        let tree = try repository.writeTree([])
        let first = try repository.writeCommit(tree: tree, parents: [], message: "one\n", author: signature)
        let second = try repository.writeCommit(tree: tree, parents: [first], message: "two\n", author: signature)
        return (first, second)
    }

    /// Runs the same sequence through `apply` against the bare repository `remote`.
    func check(remote: GitRepository, local: GitRepository, apply: ([RemoteReferenceUpdate]) throws -> [String]) throws {
        let (first, second) = try commits(local)
        let name = "refs/xj/sweeps/s1/3"
        #expect(try apply([RemoteReferenceUpdate(name: name, target: first.object, expected: nil)]).isEmpty)
        #expect(try remote.referenceTarget(name) == first.object)
        // Expecting "absent" when it exists, or an old value: refused, unchanged.
        #expect(try apply([RemoteReferenceUpdate(name: name, target: second.object, expected: nil)]) == [name])
        #expect(try apply([RemoteReferenceUpdate(name: name, target: nil, expected: second.object)]) == [name])
        #expect(try remote.referenceTarget(name) == first.object)
        #expect(try apply([RemoteReferenceUpdate(name: name, target: second.object, expected: first.object)]).isEmpty)
        #expect(try remote.referenceTarget(name) == second.object)
        #expect(try apply([RemoteReferenceUpdate(name: name, target: nil, expected: second.object)]).isEmpty)
        #expect(try remote.referenceTarget(name) == nil)
        let fsck = try BuiltBinary.git(["--git-dir", remote.path, "fsck", "--strict"], in: "/")
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }

    @Test func onAPath() throws {
        try withScratchDirectory { folder in
            let remote = try GitRepository.create(at: folder + "/remote.git")
            let local = try GitRepository.create(at: folder + "/local.git")
            try check(remote: remote, local: local) { try local.updateReferences(inRepositoryAt: remote.path, $0) }
        }
    }

    @Test func overGitDaemon() throws {
        try withScratchDirectory { folder in
            let remote = try GitRepository.create(at: folder + "/remote.git")
            let local = try GitRepository.create(at: folder + "/local.git")
            let daemon = try GitDaemon(basePath: folder)
            defer { daemon.stop() }
            try local.addRemote("origin", url: daemon.url("remote.git"))
            try check(remote: remote, local: local) { try local.updateReferences(remote: "origin", $0) }
            // The temporary refs the pushes were made from are gone.
            #expect(try local.references(matching: "refs/xj/outgoing/*").isEmpty)
        }
    }
}
