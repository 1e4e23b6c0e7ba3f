import Foundation

/// An exclusive lock on the whole journal for multi-step updates (read refs, write objects, move refs).
///
/// Held with `flock(2)` on `xj/lock`, so the kernel releases it when the holding process dies:
/// a killed `xj` never leaves the journal locked.
public final class JournalLock {
    private let descriptor: Int32

    /// Blocks until the lock is held.
    public init(repository: GitRepository) throws {
        let lockPath = try repository.privateDirectory() + "/lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.io(path: lockPath, reason: "cannot open the journal lock: \(String(cString: strerror(errno)))")
        }
        var status: Int32
        repeat { status = flock(descriptor, LOCK_EX) } while status != 0 && errno == EINTR
        guard status == 0 else {
            close(descriptor)
            throw StoreError.io(path: lockPath, reason: "cannot take the journal lock: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Runs `body` while holding the lock on `repository`.
    public static func withLock<T>(_ repository: GitRepository, _ body: () throws -> T) throws -> T {
        let lock = try JournalLock(repository: repository)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
