import Foundation

/// What a bare remote holds after a cluster sweep, read with the system git.
public struct SweepRemote {
    public let gitDirectory: String

    public init(gitDirectory: String) { self.gitDirectory = gitDirectory }

    /// The experiment folders (`experiments/<2>/<run key>/<id>`) on `branch`.
    public func experiments(on branch: String = "main") throws -> [String] {
        let listed = try BuiltBinary.git(["--git-dir", gitDirectory, "ls-tree", "-r", "--name-only", branch, "--", "experiments"], in: "/")
        let folders = listed.stdout.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: "/")
            return parts.count > 4 ? parts.prefix(4).joined(separator: "/") : nil
        }
        return Array(Set(folders)).sorted()
    }

    /// How many experiments each run key has on `branch`.
    public func runKeyCounts(on branch: String = "main") throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for folder in try experiments(on: branch) { counts[String(folder.split(separator: "/")[2]), default: 0] += 1 }
        return counts
    }

    /// The refs under `refs/xj/sweeps/`.
    public func taskReferences() throws -> [String] {
        try BuiltBinary.git(["--git-dir", gitDirectory, "for-each-ref", "--format=%(refname)", "refs/xj/sweeps/"], in: "/")
            .stdout.split(separator: "\n").map(String.init)
    }

    /// `git fsck --strict`'s result: nil when clean, else its output.
    public func fsckProblems() throws -> String? {
        let fsck = try BuiltBinary.git(["--git-dir", gitDirectory, "fsck", "--strict"], in: "/")
        return fsck.status == 0 ? nil : fsck.stdout + fsck.stderr
    }
}
