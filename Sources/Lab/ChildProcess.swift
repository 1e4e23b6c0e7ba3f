import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program (found on PATH) with extra environment variables, passing its output through to
/// ours as it comes while keeping a copy of both streams.
public enum ChildProcess {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        public let status: Int32
        public let signal: Int32?
        public let stdout: [UInt8]
        public let stderr: [UInt8]
    }

    /// - Parameters:
    ///   - echoOutput: the file descriptor the child's stdout is copied to (nil: not shown).
    ///   - echoErrors: the file descriptor the child's stderr is copied to (nil: not shown).
    /// - Throws: `LabError.invalidData` naming the program when it cannot be started.
    ///   - directory: the child's working directory (nil: this process's).
    public static func run(_ argv: [String], environment extra: [String: String], echoOutput: Int32?, echoErrors: Int32?,
                           directory: String? = nil) throws -> Result {
        precondition(!argv.isEmpty)
        // posix_spawn has no portable chdir: a shell changes directory and then becomes the program.
        let argv = directory.map { ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", $0] + argv } ?? argv
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw LabError.invalidData("cannot create pipes for `\(argv[0])`") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        // The child starts with default signal handling and nothing blocked, whatever this process set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { _, new in new }
        let envStrings = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { args in
            withCStrings(envStrings) { env in posix_spawnp(&pid, argv[0], &actions, &attributes, args, env) }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw LabError.invalidData("cannot start `\(argv[0])`: \(String(cString: strerror(spawned)))")
        }
        var collected: [Int32: [UInt8]] = [outPipe[0]: [], errPipe[0]: []]
        let echo: [Int32: Int32?] = [outPipe[0]: echoOutput, errPipe[0]: echoErrors]
        var open = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 { if errno == EINTR { continue } else { break } }
            for entry in fds where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[entry.fd]!.append(contentsOf: buffer[0..<count])
                    if let target = echo[entry.fd] ?? nil {
                        _ = buffer.withUnsafeBytes { write(target, $0.baseAddress, count) }
                    }
                } else if count == 0 || errno != EINTR {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        if signal == 0 {
            return Result(status: (status >> 8) & 0xff, signal: nil, stdout: collected[outPipe[0]]!, stderr: collected[errPipe[0]]!)
        }
        return Result(status: 128 + signal, signal: signal, stdout: collected[outPipe[0]]!, stderr: collected[errPipe[0]]!)
    }

    private static func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
