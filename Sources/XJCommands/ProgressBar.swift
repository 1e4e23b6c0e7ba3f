import Foundation

/// A one-line progress bar on stderr, redrawn in place; silent unless stderr is a terminal. It shows
/// from the start (`start`), moves within a step (`advance`), and estimates the time left from the
/// fraction done, so the estimate is steady rather than jumping at each finished step.
final class ProgressBar {
    private let total: Int
    private let started = Date()
    private let enabled: Bool
    private var done = 0
    private var fraction = 0.0
    private var status = ""
    private var lastDrawn = Date.distantPast

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Draws the empty bar at once, before the first step finishes.
    func start(status: String = "starting") {
        self.status = status
        draw()
    }

    /// Shows `done` of `total` whole steps with a short status.
    func update(_ done: Int, status: String) {
        self.done = done
        self.status = status
        fraction = total > 0 ? Double(done) / Double(total) : 1
        draw()
    }

    /// Moves the bar within the current step: `fraction` of the whole work is done. Redrawn at most
    /// five times a second.
    func advance(to fraction: Double) {
        self.fraction = max(self.fraction, min(fraction, 1))
        guard Date().timeIntervalSince(lastDrawn) > 0.2 else { return }
        draw()
    }

    private func draw() {
        guard enabled else { return }
        lastDrawn = Date()
        let width = 24
        let filled = min(width, Int(Double(width) * fraction))
        let elapsed = Date().timeIntervalSince(started)
        // Until a little work is done an estimate would be noise.
        let eta = fraction > 0.01 && elapsed > 1 ? Self.duration(elapsed / fraction * (1 - fraction)) : "…"
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(bar) \(done)/\(total)  \(status)  ETA \(eta)\u{1B}[K"
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
