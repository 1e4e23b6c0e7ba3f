import CGit2
import Foundation

/// A bare git repository opened through libgit2: the journal's object store and refs.
///
/// Confined to one thread at a time (libgit2 handles are not thread-safe per object).
/// Every C object it creates is owned by a `Managed` value or freed before the call returns.
public final class GitRepository {
    let handle: Managed
    /// The repository folder (`.journal`), without a trailing slash.
    public let path: String
    /// Set by `readPacksDirectly()`: trees and blobs then come from the packs without libgit2.
    var directReads: DirectPackReads?
    /// Set by a clone over git:// (`cloneOverGitProtocol`): the small objects its indexer inflated
    /// and hashed, which `readPacksDirectly()` then serves without inflating them again.
    public internal(set) var inflatedObjects: InflatedObjects?

    private init(handle: OpaquePointer, path: String) {
        self.handle = Managed(handle, free: git_repository_free)
        self.path = path
    }

    var pointer: OpaquePointer { handle.pointer }

    /// Creates a bare repository whose HEAD points at `refs/heads/<initialBranch>`.
    /// - Throws: `StoreError.alreadyExists` when `path` is already a repository (`git_repository_init_ext`).
    public static func create(at path: String, initialBranch: String = "main") throws -> GitRepository {
        _ = Libgit2.initialized
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: standardized + "/HEAD") {
            throw StoreError.alreadyExists(path: standardized)
        }
        var options = git_repository_init_options()
        try Libgit2.check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)), "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var repository: OpaquePointer?
        let status = initialBranch.withCString { branch -> Int32 in
            options.initial_head = branch
            return git_repository_init_ext(&repository, standardized, &options)
        }
        if status == GIT_EEXISTS.rawValue { throw StoreError.alreadyExists(path: standardized) }
        try Libgit2.check(status, "git_repository_init_ext")
        return GitRepository(handle: repository!, path: standardized)
    }

    /// Opens the bare repository at `path`.
    /// - Throws: `StoreError.notARepository` when there is none (`git_repository_open_bare`).
    public static func open(at path: String) throws -> GitRepository {
        _ = Libgit2.initialized
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        var repository: OpaquePointer?
        let status = git_repository_open_bare(&repository, standardized)
        if status == GIT_ENOTFOUND.rawValue { throw StoreError.notARepository(path: standardized) }
        try Libgit2.check(status, "git_repository_open_bare")
        return GitRepository(handle: repository!, path: standardized)
    }

    /// From now on, reads trees and blobs from the packs as they are at this moment without going
    /// through libgit2's object lookup (each still checked against its id), for a pass that reads
    /// every object of a large pack once. Objects outside those packs are still read through libgit2.
    /// - Parameter inflated: objects already inflated and hashed (another handle's `inflatedObjects`),
    ///   served first; by default this handle's own.
    public func readPacksDirectly(keeping inflated: InflatedObjects? = nil) {
        if directReads == nil { directReads = DirectPackReads(objectsDirectory: path + "/objects", inflated: inflated ?? inflatedObjects) }
    }

    /// Goes back to reading through libgit2 and drops the direct reads' caches and the kept objects,
    /// freeing them on another thread: tens of thousands of small allocations that a command about to
    /// finish (a clone, after its check) need not wait for.
    public func stopReadingPacksDirectly() {
        let caches = DroppedCaches(directReads: directReads, inflatedObjects: inflatedObjects)
        directReads = nil
        inflatedObjects = nil
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(caches) {} }
    }

    /// A folder inside the repository for xj's own files (caches, locks, temporary files); created on demand.
    public func privateDirectory(_ components: String...) throws -> String {
        let folder = ([path, "xj"] + components).joined(separator: "/")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(path: folder, reason: "cannot create the folder")
        }
        return folder
    }
}
