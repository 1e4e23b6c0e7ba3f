import Foundation

/// `posix_spawn` with the child's standard streams opened on the given paths and an empty signal
/// mask (so stopping the child does not depend on the test thread's mask), shared by the helpers
/// that start programs.
public enum Spawn {
    /// Starts `arguments[0]` with `arguments`; `streams` maps descriptors 0–2 to (path, open flags).
    /// - Returns: the child's pid, or nil when it could not be started.
    public static func start(_ arguments: [String], streams: [Int32: (String, Int32)], environment: [String]? = nil) -> pid_t? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, (path, flags)) in streams.sorted(by: { $0.key < $1.key }) {
            posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup($0) } + [nil] }
        defer { argv.forEach { free($0) }; envp?.forEach { free($0) } }
        var child: pid_t = 0
        let status = envp.map { posix_spawn(&child, arguments[0], &actions, &attributes, argv, $0) }
            ?? posix_spawn(&child, arguments[0], &actions, &attributes, argv, environ)
        return status == 0 ? child : nil
    }
}
