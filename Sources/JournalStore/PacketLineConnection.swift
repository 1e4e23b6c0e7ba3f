import Foundation

/// A TCP connection to a `git daemon` speaking git's pkt-line framing: four hex digits of length
/// (counting themselves) and the payload; `0000` is a flush. Reads and writes give up after
/// `timeout` seconds of silence, a frame longer than git's limit is refused, and writes never raise
/// SIGPIPE, so a hostile or vanished server costs one error line.
final class PacketLineConnection {
    /// A frame: a payload, or a flush.
    enum Packet: Equatable {
        case data([UInt8])
        case flush
    }

    let url: String
    private let socket: Int32
    private var input: [UInt8] = []
    private var inputStart = 0
    private var output: [UInt8] = []

    /// Connects to `host:port`.
    init(host: String, port: Int, url: String, timeout: Int = 120) throws {
        self.url = url
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw StoreError.network(url: url, problem: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var connected: Int32 = -1
        while let address = candidate {
            let descriptor = Foundation.socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            if descriptor >= 0 {
                var limit = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                if connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { connected = descriptor; break }
                lastError = errno
                close(descriptor)
            } else {
                lastError = errno
            }
            candidate = address.pointee.ai_next
        }
        guard connected >= 0 else {
            throw StoreError.network(url: url, problem: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
        }
        socket = connected
    }

    deinit { close(socket) }

    // MARK: Writing

    /// Queues one data frame.
    func send(_ payload: [UInt8]) {
        output.append(contentsOf: Array(String(format: "%04x", payload.count + 4).utf8))
        output.append(contentsOf: payload)
    }

    /// Queues a flush frame.
    func sendFlush() { output.append(contentsOf: Array("0000".utf8)) }

    /// Queues raw bytes (the pack, which is not framed), sending once 256 KiB have gathered.
    func sendRaw(_ bytes: UnsafeRawBufferPointer) throws {
        output.append(contentsOf: bytes)
        if output.count >= 256 * 1024 { try flushOutput() }
    }

    /// Sends everything queued.
    func flushOutput() throws {
        var sent = 0
        while sent < output.count {
            let count = output.withUnsafeBytes { Foundation.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.network(url: url, problem: errno == EAGAIN ? "the server stopped reading (timed out)" : "connection lost while sending: \(String(cString: strerror(errno)))")
            }
            sent += count
        }
        output.removeAll(keepingCapacity: true)
    }

    // MARK: Reading

    /// The next frame. - Throws: on a closed connection, a timeout, or a malformed or oversized frame.
    func receive() throws -> Packet {
        let lengthBytes = try read(4)
        guard let length = Int(String(decoding: lengthBytes, as: UTF8.self), radix: 16), lengthBytes.allSatisfy(Self.isHexDigit) else {
            throw StoreError.network(url: url, problem: "the server sent a malformed packet length \(String(decoding: lengthBytes, as: UTF8.self).debugDescription)")
        }
        if length == 0 { return .flush }
        guard length >= 4, length <= 65520 else {
            throw StoreError.network(url: url, problem: "the server sent a packet of length \(length) (git allows 4–65520)")
        }
        return .data(try read(length - 4))
    }

    private func read(_ count: Int) throws -> [UInt8] {
        while input.count - inputStart < count {
            if inputStart > 0 { input.removeFirst(inputStart); inputStart = 0 }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if received < 0 {
                if errno == EINTR { continue }
                throw StoreError.network(url: url, problem: errno == EAGAIN ? "the server did not answer (timed out)" : "connection lost: \(String(cString: strerror(errno)))")
            }
            if received == 0 { throw StoreError.network(url: url, problem: "the server closed the connection (unexpected disconnect)") }
            input.append(contentsOf: chunk[0..<received])
        }
        let bytes = Array(input[inputStart..<inputStart + count])
        inputStart += count
        return bytes
    }

    /// Text a server sent, fit for one error line: at most `limit` characters, control characters shown as `?`.
    static func printable<Bytes: Collection>(_ bytes: Bytes, limit: Int = 200) -> String where Bytes.Element == UInt8 {
        String(String(decoding: bytes, as: UTF8.self).unicodeScalars.prefix(limit).map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) })
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
