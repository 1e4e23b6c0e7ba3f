import Foundation

/// A TCP server on 127.0.0.1 that answers every connection with fixed bytes (after reading what the
/// client sends first), then closes it: a hostile or broken `git daemon` for tests. It drains what the
/// client sends after the reply, so a client that writes a pack does not block on a full socket.
public final class ScriptedGitServer: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let thread: Thread

    /// Starts serving `reply`; with `replyAfterPack`, a second reply is sent once the client has
    /// sent a pack (the bytes `PACK` arrived and the client went quiet for 0.2 s).
    public init(reply: [UInt8], replyAfterPack: [UInt8]? = nil) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && listen(descriptor, 8) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard descriptor >= 0, bound else { throw CocoaError(.featureUnsupported) }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        thread = Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 { return }
                var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 65536)
                _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                while true {
                    let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                if let second = replyAfterPack, received.count >= 4, received.indices.contains(where: { received[$0...].starts(with: Array("PACK".utf8)) }) {
                    _ = second.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                close(connection)
            }
        }
        thread.start()
    }

    /// `git://127.0.0.1:<port>/<name>`.
    public func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// Stops accepting connections.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// One pkt-line frame of `text`.
    public static func packet(_ text: String) -> [UInt8] {
        Array(String(format: "%04x", text.utf8.count + 4).utf8) + Array(text.utf8)
    }

    /// The advertisement of an empty repository that accepts pushes, then a flush.
    public static let emptyAdvertisement: [UInt8] =
        packet(String(repeating: "0", count: 40) + " capabilities^{}\0report-status delete-refs ofs-delta\n") + Array("0000".utf8)
}
