import Dispatch
import Foundation
import JournalStore

/// What Ctrl-C prints during a long command: what was kept and how to go on, then exit status 130.
/// The signal is taken by a dispatch source, so the line is written outside the signal handler.
final class Interruption {
    private let source: DispatchSourceSignal

    private init(_ source: DispatchSourceSignal) { self.source = source }

    /// Catches SIGINT until `cancel`; on Ctrl-C prints `message` on stderr (after clearing a progress bar's line) and exits.
    static func install(_ message: String) -> Interruption {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            let clear = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data((clear + "xj: " + message + "\n").utf8))
            GitLibrary.waitUntilInitialized()
            exit(130)
        }
        source.resume()
        return Interruption(source)
    }

    /// Restores the default Ctrl-C.
    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
