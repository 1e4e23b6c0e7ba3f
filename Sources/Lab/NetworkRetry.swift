import Foundation
import Journal

/// Retries a transfer that failed on the network (a refused or reset connection: a `git daemon` at its
/// connection limit, an ssh server throttling a thousand array tasks), with a random wait that grows
/// with each attempt. A refusal that is not about the network (a ref that moved, a hostile remote) is
/// thrown at once.
public enum NetworkRetry {
    /// How many attempts a task makes in all.
    public static let attempts = 8

    /// Whether `error` is a transfer failure worth another attempt.
    public static func isTransient(_ error: Error) -> Bool {
        let message: String
        switch error {
        case let StoreError.libgit2(operation, _, text)
            where ["git_clone", "git_remote_fetch", "git_remote_push", "git_remote_connect", "git_remote_download"].contains(operation):
            message = text
        case let StoreError.network(_, problem):
            // xj's own git:// push (Decisions/0019).
            message = problem
        default:
            return false
        }
        let lowered = message.lowercased()
        return ["socket", "connection", "connect", "timed out", "early eof", "unexpected disconnect", "broken pipe", "resource temporarily"]
            .contains { lowered.contains($0) }
    }

    /// Runs `body`, again after a transient failure (at most `attempts` times in all).
    /// - Parameter onRetry: told the attempt about to start (2-based) and the error.
    public static func run<T>(attempts: Int = attempts, onRetry: ((Int, Error) -> Void)? = nil, _ body: () throws -> T) throws -> T {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try body()
            } catch where attempt < attempts && isTransient(error) {
                attempt += 1
                onRetry?(attempt, error)
                // 0.1–0.2 s, doubling up to about 10 s: a thousand tasks spread out instead of hammering.
                let ceiling = min(10.0, 0.2 * pow(2, Double(attempt - 2)))
                usleep(UInt32(Double.random(in: (ceiling / 2)...ceiling, using: &generator) * 1_000_000))
            }
        }
    }
}
