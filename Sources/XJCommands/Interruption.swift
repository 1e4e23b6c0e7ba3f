import Dispatch
import Foundation

/// What Ctrl-C prints during a long command: what was kept and how to go on, then exit status 130.
/// The signal is taken by a dispatch source, so the line is written outside the signal handler.
/// The process ends with `_exit`, not `exit`: the main thread is still training, and `exit` runs the
/// libraries' destructors under it (OpenBLAS's clears its kernel table, and the next product crashed
/// with SIGSEGV in about half of the interrupts during training). Every object and index is written to
/// a temporary file and renamed into place, so nothing a destructor or `atexit` would do is lost.
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
            fflush(stdout)
            _exit(130)
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
