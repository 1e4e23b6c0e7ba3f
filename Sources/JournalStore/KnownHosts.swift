import CCrypto
import Foundation

/// OpenSSH's `known_hosts`: which host keys the user has accepted. libgit2 does not check ssh host
/// keys, so xj does, here. Lines are `hosts keytype base64-key`, with hosts a comma-separated list of
/// names (`[host]:port` for another port) or one hashed name `|1|base64 salt|base64 HMAC-SHA1(salt, name)`.
public struct KnownHosts {
    struct Entry {
        let patterns: [String]
        let key: [UInt8]
    }

    let entries: [Entry]

    public init(contents: String) {
        entries = contents.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@"),
                  let key = Data(base64Encoded: String(fields[2])) else { return nil }
            return Entry(patterns: fields[0].split(separator: ",").map(String.init), key: [UInt8](key))
        }
    }

    /// Whether `key` (the raw public key blob the server sent) is recorded for `host`.
    public func accepts(host: String, key: [UInt8], port: Int? = nil) -> Bool {
        let name = port.map { $0 == 22 ? host : "[\(host)]:\($0)" } ?? host
        return entries.contains { entry in entry.key == key && entry.patterns.contains { Self.matches($0, name) } }
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.hasPrefix("|1|") else { return pattern == name }
        let parts = pattern.dropFirst(3).split(separator: "|")
        guard parts.count == 2, let salt = Data(base64Encoded: String(parts[0])), let hash = Data(base64Encoded: String(parts[1])) else { return false }
        return hmacSHA1(key: [UInt8](salt), message: Array(name.utf8)) == [UInt8](hash)
    }

    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        _ = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                HMAC(EVP_sha1(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &output, &length)
            }
        }
        return output
    }
}
