import Foundation
import Testing
import XJTestSupport
@testable import Lab
import JournalStore

/// A cluster task retries a transfer that failed on the network, whether libgit2 or xj's own git://
/// push saw it, and gives up at once on anything else (a hostile or refusing server, a moved ref).
@Suite struct NetworkRetryTests {
    @Test func networkFailuresAreRetriedAndOthersAreNot() {
        let transient: [Error] = [
            StoreError.libgit2(operation: "git_remote_push", code: -1, message: "failed to connect to 127.0.0.1: Connection refused"),
            StoreError.network(url: "git://h/j", problem: "cannot connect to h:9418: Connection refused"),
            StoreError.network(url: "git://h/j", problem: "the server closed the connection (unexpected disconnect)"),
            StoreError.network(url: "git://h/j", problem: "connection lost while sending: Broken pipe"),
            StoreError.network(url: "git://h/j", problem: "the server did not answer (timed out)"),
        ]
        let final: [Error] = [
            StoreError.libgit2(operation: "git_tree_lookup", code: -1, message: "connection"),
            StoreError.network(url: "git://h/j", problem: "the server sent a malformed packet length \"zzzz\""),
            StoreError.network(url: "git://h/j", problem: "the server refused: access denied or repository not exported"),
            StoreError.network(url: "git://h/j", problem: "the server could not store the pack: index-pack abnormal exit"),
            StoreError.remoteAhead(reference: "refs/heads/main"),
        ]
        for error in transient { #expect(NetworkRetry.isTransient(error), "\(error)") }
        for error in final { #expect(!NetworkRetry.isTransient(error), "\(error)") }
    }

    @Test func aRefusedConnectionIsTriedAgainUntilItSucceeds() throws {
        var attempts = 0
        let value = try NetworkRetry.run(attempts: 3) { () throws -> Int in
            attempts += 1
            if attempts < 2 { throw StoreError.network(url: "git://h/j", problem: "cannot connect to h:9418: Connection refused") }
            return 7
        }
        #expect(value == 7 && attempts == 2)
    }
}
