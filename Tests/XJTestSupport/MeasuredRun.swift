import Foundation

/// One run of a program with what a fuzz test asserts about it: exit status or signal, output,
/// peak resident memory (`wait4`'s `ru_maxrss`) and wall time, killed when it overruns its time.
public struct MeasuredRun: Sendable {
    public let status: Int32
    /// The signal that ended it, if one did (SIGKILL when it overran `timeout`).
    public let signal: Int32?
    public let stdout: String
    public let stderr: String
    public let peakKilobytes: Int
    public let seconds: Double
    public let timedOut: Bool

    /// Runs `program` with `arguments` (in this process's folder: give paths absolute), stdout and stderr
    /// to files, and waits at most `timeout` seconds.
    public static func run(_ program: String, _ arguments: [String], timeout: Double,
                           environment: [String: String] = [:]) throws -> MeasuredRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xj-run-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, scratch + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "XJ_DIR")
        for (key, value) in environment { merged[key] = value }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let started = Date()
        let spawned = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let reaped = wait4(child, &status, WNOHANG, &usage)
            if reaped == child { break }
            if Date().timeIntervalSince(started) > timeout && !timedOut {
                timedOut = true
                kill(child, SIGKILL)
            }
            usleep(2_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let read = { (name: String) in String(decoding: FileManager.default.contents(atPath: scratch + "/" + name) ?? Data(), as: UTF8.self) }
        let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return MeasuredRun(status: signalled ? -1 : (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                           stdout: read("out"), stderr: read("err"), peakKilobytes: Int(usage.ru_maxrss), seconds: seconds, timedOut: timedOut)
    }
}
