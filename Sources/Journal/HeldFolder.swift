import Foundation

/// A folder xj created and keeps open from then on, so it can later tell whether the path still names
/// that folder. Holding the descriptor keeps the folder's inode alive: a folder put in its place after
/// it was removed cannot reuse the inode number and pass for it.
public final class HeldFolder {
    let descriptor: Int32
    public let path: String

    /// Opens the folder at `path` itself (a symbolic link there is refused).
    /// - Throws: `JournalError.unreadable` when `path` is not a real folder.
    public init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        self.path = path
        guard descriptor >= 0 else { throw JournalError.unreadable(path: path, reason: "is not a folder") }
    }

    deinit { close(descriptor) }

    /// Whether `path` still names this folder: not removed, not replaced by a link or another folder.
    public var isStillAtPath: Bool {
        var held = stat(), current = stat()
        guard fstat(descriptor, &held) == 0, held.st_nlink > 0, lstat(path, &current) == 0, (current.st_mode & S_IFMT) == S_IFDIR else { return false }
        return held.st_dev == current.st_dev && held.st_ino == current.st_ino
    }
}
