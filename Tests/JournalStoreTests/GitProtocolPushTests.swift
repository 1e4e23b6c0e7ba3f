import Foundation
import Testing
import XJTestSupport
@testable import JournalStore

/// A push over git:// to a server that misbehaves: each failure is one error naming the problem, no
/// signal or hang, and no local ref moves.
@Suite struct GitProtocolPushTests {
    let signature = Signature(name: "t", email: "t@example.org", time: 1_700_000_000)

    static let cases: [(String, [UInt8], [UInt8]?, String)] = [
        ("garbage length", Array("zzzz".utf8), nil, "malformed packet length"),
        ("oversized frame", Array("ffff".utf8) + [UInt8](repeating: 0x41, count: 100), nil, "packet of length 65535"),
        ("impossible frame", Array("0002".utf8), nil, "packet of length 2"),
        ("refusal", ScriptedGitServer.packet("ERR access denied or repository not exported\n"), nil, "the server refused: access denied"),
        ("closed at once", [], nil, "closed the connection"),
        ("terminal escapes", ScriptedGitServer.packet("ERR bad\u{1b}[31m\nsecond line\n"), nil, "the server refused: bad?[31m?second line"),
        ("cut advertisement", ScriptedGitServer.packet(String(repeating: "a", count: 40) + " refs/heads/m"), nil, "closed the connection"),
        ("malformed ref line", ScriptedGitServer.packet("not a ref line at all, but long enough to look like one\n") + Array("0000".utf8), nil,
         "malformed ref advertisement"),
        ("pack not stored", ScriptedGitServer.emptyAdvertisement,
         ScriptedGitServer.packet("unpack index-pack abnormal exit\n") + Array("0000".utf8), "could not store the pack: index-pack abnormal exit"),
        ("no report", ScriptedGitServer.emptyAdvertisement, nil, "closed the connection"),
    ]

    @Test(arguments: 0..<cases.count) func aMisbehavingServerFailsThePushInOneLine(index: Int) throws {
        let (name, reply, afterPack, expected) = Self.cases[index]
        try withScratchDirectory { folder in
            let local = try GitRepository.create(at: folder + "/local.git")
            let blob = try local.writeBlob(Array("x".utf8))
            let tree = try local.writeTree([.blob("x", blob)])
            let commit = try local.writeCommit(tree: tree, parents: [], message: "one\n", author: signature)
            try local.updateReference("refs/heads/main", to: commit.object, expecting: nil, message: "test")
            let server = try ScriptedGitServer(reply: reply, replyAfterPack: afterPack)
            defer { server.stop() }
            try local.addRemote("origin", url: server.url("j.git"))
            let before = try local.references(matching: "refs/*").map { "\($0.name) \($0.target.hex)" }
            do {
                _ = try local.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"])
                Issue.record("\(name): the push succeeded")
            } catch {
                let message = "\(error)"
                #expect(message.contains(expected), "\(name): \(message)")
                #expect(!message.contains("\n"), "\(name): \(message)")
            }
            #expect(try local.references(matching: "refs/*").map { "\($0.name) \($0.target.hex)" } == before, "\(name)")
        }
    }

    /// A server that refuses one ref (a hook) reports it; the remote-tracking ref does not move.
    @Test func aRefusedRefIsReportedAndNotTracked() throws {
        try withScratchDirectory { folder in
            let local = try GitRepository.create(at: folder + "/local.git")
            let tree = try local.writeTree([])
            let commit = try local.writeCommit(tree: tree, parents: [], message: "one\n", author: signature)
            try local.updateReference("refs/heads/main", to: commit.object, expecting: nil, message: "test")
            let report = ScriptedGitServer.packet("unpack ok\n") + ScriptedGitServer.packet("ng refs/heads/main pre-receive hook declined\n") + Array("0000".utf8)
            let server = try ScriptedGitServer(reply: ScriptedGitServer.emptyAdvertisement, replyAfterPack: report)
            defer { server.stop() }
            try local.addRemote("origin", url: server.url("j.git"))
            let rejected = try local.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"])
            #expect(rejected.map(\.0) == ["refs/heads/main"])
            #expect(rejected.first?.1 == "pre-receive hook declined")
            #expect(try local.referenceTarget("refs/remotes/origin/main") == nil)
        }
    }

    @Test func gitURLsAreParsedOrRefused() {
        #expect(GitRepository.parseGitURL("git://example.org/j.git")! == ("example.org", 9418, "/j.git"))
        #expect(GitRepository.parseGitURL("git://127.0.0.1:4000/a/b.git")! == ("127.0.0.1", 4000, "/a/b.git"))
        #expect(GitRepository.parseGitURL("git://[::1]:4000/j.git")! == ("::1", 4000, "/j.git"))
        for bad in ["git://host", "git://host/", "git://:80/x", "git://host:0/x", "git://host:99999/x", "git://host:x/y", "https://h/x", "git://[::1/x"] {
            #expect(GitRepository.parseGitURL(bad) == nil, "\(bad)")
        }
    }
}
