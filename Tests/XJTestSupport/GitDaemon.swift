import Foundation

/// A `git daemon` on 127.0.0.1 serving the repositories below a folder (push enabled), started by a
/// test and stopped by its own PID. Spawned with `posix_spawn` and an empty signal mask, and reaped
/// with `waitpid`, so stopping it does not depend on the test thread's signal mask or run loop.
public final class GitDaemon {
    public let port: Int
    private var pid: pid_t

    /// Starts the daemon on a free port and waits until it accepts connections.
    public init(basePath: String) throws {
        for _ in 0..<20 {
            let candidate = Int.random(in: 20_000...60_000)
            // A port something else already listens on would pass the check below for a daemon that
            // failed to bind (another test's daemon, or one left running): never take it.
            if Self.accepts(port: candidate) { continue }
            guard let child = Self.spawn(["/usr/bin/git", "daemon", "--export-all", "--enable=receive-pack", "--base-path=\(basePath)",
                                          "--listen=127.0.0.1", "--port=\(candidate)", "--reuseaddr", basePath]) else { continue }
            let deadline = Date().addingTimeInterval(5)
            var status: Int32 = 0
            while Date() < deadline && waitpid(child, &status, WNOHANG) == 0 {
                if Self.accepts(port: candidate), waitpid(child, &status, WNOHANG) == 0 {
                    port = candidate
                    pid = child
                    return
                }
                usleep(20_000)
            }
            kill(child, SIGKILL)
            waitpid(child, &status, 0)
        }
        throw CocoaError(.featureUnsupported)
    }

    /// `git://127.0.0.1:<port>/<name>`.
    public func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// Stops the daemon: SIGTERM to its own PID, then reaps it.
    public func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
    }

    deinit { stop() }

    private static func spawn(_ arguments: [String]) -> pid_t? {
        Spawn.start(arguments, streams: [1: ("/dev/null", O_WRONLY), 2: ("/dev/null", O_WRONLY)])
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
