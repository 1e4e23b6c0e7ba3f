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
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "XJ_DIR")
        for (key, value) in environment { merged[key] = value }
        let started = Date()
        guard let child = Spawn.start([program] + arguments,
                                      streams: [0: ("/dev/null", O_RDONLY), 1: (scratch + "/out", O_WRONLY | O_CREAT | O_TRUNC),
                                                2: (scratch + "/err", O_WRONLY | O_CREAT | O_TRUNC)],
                                      environment: merged.map { "\($0.key)=\($0.value)" }) else { throw CocoaError(.executableLoad) }
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
