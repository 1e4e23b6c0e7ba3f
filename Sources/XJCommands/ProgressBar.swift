import Foundation

/// A one-line progress bar on stderr, redrawn in place; silent unless stderr is a terminal.
final class ProgressBar {
    private let total: Int
    private let started = Date()
    private let enabled: Bool

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of `total` with a short status and the estimated time left.
    func update(_ done: Int, status: String) {
        guard enabled else { return }
        let width = 24
        let filled = total > 0 ? width * done / total : width
        let elapsed = Date().timeIntervalSince(started)
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(bar) \(done)/\(total)  \(status)  ETA \(Self.duration(remaining))\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
