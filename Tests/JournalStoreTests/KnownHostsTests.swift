import Foundation
import Testing
@testable import JournalStore

/// The ssh host-key check xj does itself (libgit2 does not), against OpenSSH's known_hosts format.
@Suite struct KnownHostsTests {
    let key: [UInt8] = Array("ssh-ed25519-public-key-blob".utf8)
    var encoded: String { Data(key).base64EncodedString() }

    @Test func plainAndPortEntries() {
        let hosts = KnownHosts(contents: "# comment\nlab.example.org,10.0.0.5 ssh-ed25519 \(encoded)\n[git.example.org]:2222 ssh-ed25519 \(encoded)\n")
        #expect(hosts.accepts(host: "lab.example.org", key: key))
        #expect(hosts.accepts(host: "10.0.0.5", key: key))
        #expect(hosts.accepts(host: "git.example.org", key: key, port: 2222))
        #expect(!hosts.accepts(host: "git.example.org", key: key))
        #expect(!hosts.accepts(host: "lab.example.org", key: Array("another key".utf8)))
        #expect(!hosts.accepts(host: "evil.example.org", key: key))
    }

    @Test func hashedEntries() {
        let salt: [UInt8] = Array(0..<20)
        let hash = KnownHosts.hmacSHA1(key: salt, message: Array("lab.example.org".utf8))
        let line = "|1|\(Data(salt).base64EncodedString())|\(Data(hash).base64EncodedString()) ssh-ed25519 \(encoded)"
        let hosts = KnownHosts(contents: line)
        #expect(hosts.accepts(host: "lab.example.org", key: key))
        #expect(!hosts.accepts(host: "lab.example.com", key: key))
    }

    /// RFC 2202 test case 2 pins the HMAC-SHA1 the hashed entries rely on.
    @Test func hmacMatchesRFC2202() {
        let mac = KnownHosts.hmacSHA1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }
}
