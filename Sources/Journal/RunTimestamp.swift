import Foundation

/// The timestamps of `run.json` (`started`): ISO 8601 with fractional seconds, UTC.
public enum RunTimestamp {
    private static func formatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    public static func string(_ date: Date) -> String { formatter().string(from: date) }

    public static func date(_ text: String) -> Date? { formatter().date(from: text) }

    /// The fields every `run.json` starts with: start, duration until now, host, xj version and environment.
    public static func runFields(started: Date) -> [String: JSONValue] {
        ["started": .string(string(started)), "duration_seconds": .number(Date().timeIntervalSince(started)),
         "host": .string(ProcessInfo.processInfo.hostName), "xj_version": .string(XJVersion.current),
         "environment": RunEnvironment.current]
    }
}
