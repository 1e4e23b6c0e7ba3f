import Foundation
import Testing
import XJTestSupport

/// Clones pushing to one remote at the same moment: a push lands on top of what the remote has or
/// changes nothing, so no commit is ever lost (issue 12 §1).
@Suite struct PushRaceTests {
    static let clones = 4
    static let rounds = 20

    /// Makes a journal with the digits data, pushes it to `url`, and clones it `clones` times.
    func setUp(_ folder: String, url: String) throws -> [String] {
        let origin = folder + "/origin"
        try FileManager.default.createDirectory(atPath: origin, withIntermediateDirectories: true)
        try makeDigitsJournal(in: origin)
        #expect(try BuiltBinary.xj(["remote", "add", "origin", url], in: origin).status == 0)
        let pushed = try BuiltBinary.xj(["push"], in: origin)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        return try (0..<Self.clones).map { index in
            let name = "clone\(index)"
            let cloned = try BuiltBinary.xj(["clone", url, name], in: folder)
            #expect(cloned.status == 0, "\(cloned.stderr)")
            return folder + "/" + name
        }
    }

    /// Every clone commits and pushes at once, `rounds` times; returns each push's result.
    func race(_ clones: [String], retry: Bool, rounds: Int) throws -> [(message: String, result: ProcessResult)] {
        let lock = NSLock()
        var results: [(String, ProcessResult)] = []
        for round in 0..<rounds {
            DispatchQueue.concurrentPerform(iterations: clones.count) { index in
                let message = "clone \(index) round \(round)"
                let folder = clones[index]
                guard (try? BuiltBinary.xj(["commit", "--allow-empty", "-m", message], in: folder))?.status == 0,
                      let pushed = try? BuiltBinary.xj(retry ? ["push", "--retry", "--attempts", "40"] : ["push"], in: folder) else {
                    Issue.record("commit or push did not run in \(folder)")
                    return
                }
                lock.lock()
                results.append((message, pushed))
                lock.unlock()
            }
        }
        return results
    }

    func remoteMessages(_ gitDirectory: String) throws -> Set<String> {
        let log = try BuiltBinary.git(["--git-dir", gitDirectory, "log", "--format=%s", "main"], in: "/")
        #expect(log.status == 0, "\(log.stderr)")
        return Set(log.stdout.split(separator: "\n").map(String.init))
    }

    func check(folder: String, url: String, gitDirectory: String) throws {
        let clones = try setUp(folder, url: url)
        // Without --retry: a push that exits 0 is on the remote for good; one that loses the race says so in one line.
        let plain = try race(clones, retry: false, rounds: 3)
        let onRemote = try remoteMessages(gitDirectory)
        for (message, result) in plain {
            if result.status == 0 {
                #expect(onRemote.contains(message), "\(message) was pushed (exit 0) but is not on the remote")
            } else {
                // Lost the race after the other push landed, or while it held the remote ref's lock.
                let ahead = "xj: error: origin/main has commits you do not have; run xj pull, then push (or xj push --retry)\n"
                let busy = "xj: error: origin/main is being updated by another push; try again (xj push --retry waits), or remove "
                #expect(result.stderr == ahead || (result.stderr.hasPrefix(busy) && result.stderr.hasSuffix("main.lock if no push is running\n")),
                        "\(result.stderr)")
            }
        }
        // With --retry: every commit of every clone ends up on the remote.
        let retried = try race(clones, retry: true, rounds: Self.rounds)
        for (message, result) in retried { #expect(result.status == 0, "\(message): \(result.stderr)") }
        let final = try remoteMessages(gitDirectory)
        let missing = retried.map(\.message).filter { !final.contains($0) }
        #expect(missing.isEmpty, "lost on the remote: \(missing)")
        #expect(try BuiltBinary.git(["--git-dir", gitDirectory, "fsck", "--strict"], in: "/").status == 0)
    }

    @Test(.tags(.slow)) func concurrentPushesToABarePathLoseNothing() throws {
        try withScratchDirectory { folder in
            let remote = folder + "/remote.git"
            try check(folder: folder, url: remote, gitDirectory: remote)
        }
    }

    @Test(.tags(.slow)) func concurrentPushesOverGitDaemonLoseNothing() throws {
        try withScratchDirectory { folder in
            let served = folder + "/served"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            _ = try BuiltBinary.git(["init", "--bare", "-q", "--initial-branch=main", served + "/remote.git"], in: folder)
            let daemon = try GitDaemon(basePath: served)
            defer { daemon.stop() }
            try check(folder: folder, url: daemon.url("remote.git"), gitDirectory: served + "/remote.git")
        }
    }
}
