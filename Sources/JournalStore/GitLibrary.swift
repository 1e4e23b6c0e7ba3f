import CGit2
import Dispatch
import Foundation

/// libgit2's one-time start-up, begun early. `git_libgit2_init` parses the system's CA certificate
/// bundle (Debian's libgit2 uses mbedTLS), a few milliseconds that every command paid before its first
/// git call; started on another thread while the arguments are parsed, it is usually done by then.
public enum GitLibrary {
    private static let started = DispatchGroup()

    /// Starts the initialisation on a background thread. The first use of libgit2 waits for it to
    /// finish (it runs once per process, under the runtime's once-lock).
    public static func initializeInBackground() {
        started.enter()
        Thread.detachNewThread {
            _ = Libgit2.initialized
            started.leave()
        }
    }

    /// Waits for every initialisation begun by `initializeInBackground`. Call before the process exits:
    /// `exit` while that thread is still loading libgit2's dependencies tears down the libraries under
    /// it and crashes (SIGSEGV in the loader, seen when a command failed at once, e.g. a mistyped name).
    public static func waitUntilInitialized() {
        started.wait()
    }

    /// Has libgit2 map pack files in windows of 4 MiB, at most 16 MiB at once (its defaults: one window
    /// of up to 1 GiB, 8 GiB in all). For a command that reads a few hundred objects scattered over a
    /// large pack: in one window every page it touched stayed mapped (the report at 100,000 experiments:
    /// 36 MiB of a 64 MB pack). Call before the first object is read; other commands keep the defaults,
    /// under which a pass over every object maps each part of the pack once.
    public static func mapPacksInSmallWindows() {
        _ = Libgit2.initialized
        _ = xj_git_set_pack_windows(4 << 20, 16 << 20)
    }
}
