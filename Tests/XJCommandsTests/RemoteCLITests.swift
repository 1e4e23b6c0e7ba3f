import Foundation
import Testing
import XJTestSupport

/// Journals travelling through git remotes: a real `git daemon` on 127.0.0.1 and bare repositories on disk.
@Suite struct RemoteCLITests {
    func xj(_ arguments: [String], _ folder: String) throws -> ProcessResult {
        let result = try BuiltBinary.xj(arguments, in: folder)
        #expect(result.status == 0, "xj \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func journal(_ folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try xj(["init"], folder)
        _ = try xj(["add", Fixtures.digitsPath, "--name", "digits", "--label", "target"], folder)
        _ = try xj(["commit", "-m", "data"], folder)
    }

    func fsckStrict(_ gitDirectory: String) throws -> Bool {
        try BuiltBinary.git(["--git-dir", gitDirectory, "fsck", "--strict"], in: "/").status == 0
    }

    @Test func pushCloneFetchAndRerunAcrossMachinesOverGitDaemon() throws {
        try withScratchDirectory { folder in
            let served = folder + "/served"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            _ = try BuiltBinary.git(["init", "--bare", "-q", served + "/digits.git"], in: folder)
            let daemon = try GitDaemon(basePath: served)
            defer { daemon.stop() }

            let alice = folder + "/alice", bob = folder + "/bob"
            try journal(alice)
            _ = try xj(["train", "--data", "digits", "--model", "linear", "epochs=2", "seed=1"], alice)
            _ = try xj(["commit", "-m", "first run"], alice)
            _ = try xj(["remote", "add", "origin", daemon.url("digits.git")], alice)
            #expect(try xj(["push"], alice).stdout == "pushed to origin: main\n")

            _ = try xj(["clone", daemon.url("digits.git"), "bob"], folder)
            #expect(try xj(["log", "--json"], bob).stdout == (try xj(["log", "--json"], alice).stdout))
            let rerun = try xj(["train", "--data", "digits", "--model", "linear", "epochs=2", "seed=1"], bob)
            #expect(rerun.stdout.hasPrefix("already run: experiment"))

            // Alice runs something new; Bob fetches it and is told it is already run, on origin/main.
            _ = try xj(["train", "--data", "digits", "--model", "linear", "epochs=2", "seed=2"], alice)
            _ = try xj(["commit", "-m", "second run"], alice)
            _ = try xj(["push"], alice)
            let fetched = try xj(["fetch"], bob)
            #expect(fetched.stdout.hasPrefix("fetched origin: origin/main"))
            let seen = try xj(["train", "--data", "digits", "--model", "linear", "epochs=2", "seed=2"], bob)
            #expect(seen.stdout.contains("on origin/main"))

            // Bob commits and pushes; Alice's diverging push is refused with a clear message.
            _ = try xj(["commit", "--allow-empty", "-m", "bob's note"], bob)
            _ = try xj(["pull"], bob)
            _ = try xj(["push"], bob)
            _ = try xj(["commit", "--allow-empty", "-m", "alice's note"], alice)
            let refused = try BuiltBinary.xj(["push"], in: alice)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("xj: error:") && refused.stderr.contains("xj pull"))
            #expect(try fsckStrict(served + "/digits.git"))
            let plain = folder + "/plain.git"
            #expect(try BuiltBinary.git(["clone", "--bare", "-q", served + "/digits.git", plain], in: folder).status == 0)
            #expect(try fsckStrict(plain))
            // A plain `git clone --bare` is a journal xj works in (its HEAD follows the served repository's,
            // here git's default branch, so switch to the line of inquiry first).
            _ = try xj(["--journal", plain, "switch", "main"], folder)
            let plainLog = try xj(["--journal", plain, "log", "--json"], folder)
            #expect(plainLog.stdout.contains("second run"))
            #expect(try xj(["--journal", plain, "fsck"], folder).stdout.hasSuffix("ok\n"))
        }
    }

    @Test func twoClonesExchangeExperimentsThroughABareRepositoryOnDisk() throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice"
            try journal(alice)
            _ = try xj(["remote", "add", "origin", folder + "/shared/digits.git"], alice)
            _ = try xj(["push", "--all"], alice)
            _ = try xj(["clone", "file://" + folder + "/shared/digits.git", "bob"], folder)
            let bob = folder + "/bob"
            _ = try xj(["grid", "--data", "digits", "--model", "linear", "epochs=2", "seed=1..2"], alice)
            _ = try xj(["grid", "--data", "digits", "--model", "linear", "epochs=2", "seed=3..4"], bob)
            _ = try xj(["push"], alice)
            let merged = try xj(["pull"], bob)
            #expect(merged.stdout.hasPrefix("merged origin as"))
            _ = try xj(["push"], bob)
            #expect(try xj(["pull"], alice).stdout.hasPrefix("fast-forward"))
            for side in [alice, bob] {
                let runs = try JSONSerialization.jsonObject(with: Data(try xj(["runs", "--json"], side).stdout.utf8)) as? [Any]
                #expect(runs?.count == 4)
                #expect(try fsckStrict(side + "/.journal"))
            }
            #expect(try xj(["log", "-n", "1", "--json"], alice).stdout == (try xj(["log", "-n", "1", "--json"], bob).stdout))
        }
    }

    @Test func conflictingParameterSetsLeaveTheBranchAsItWas() throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice"
            try journal(alice)
            _ = try xj(["remote", "add", "origin", folder + "/shared.git"], alice)
            _ = try xj(["push"], alice)
            _ = try xj(["clone", folder + "/shared.git", "bob"], folder)
            let bob = folder + "/bob"
            _ = try xj(["add", "--name", "base", "lr=0.1"], alice)
            _ = try xj(["commit", "-m", "a"], alice)
            _ = try xj(["push"], alice)
            _ = try xj(["add", "--name", "base", "lr=0.2"], bob)
            _ = try xj(["commit", "-m", "b"], bob)
            let before = try BuiltBinary.git(["--git-dir", ".journal", "rev-parse", "main"], in: bob).stdout
            let pull = try BuiltBinary.xj(["pull"], in: bob)
            #expect(pull.status == 1)
            #expect(pull.stderr.hasPrefix("xj: error: cannot merge: both sides changed params/base (local "))
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "rev-parse", "main"], in: bob).stdout == before)
        }
    }

    /// Over a path (xj's pack through libgit2's indexer) and over `git daemon` (xj's own receive-pack
    /// client), a push killed mid-way leaves both sides valid and can be made again.
    @Test(arguments: [false, true]) func aKilledPushLeavesBothSidesValid(overGitDaemon: Bool) throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice"
            try journal(alice)
            var generator = SystemRandomNumberGenerator()
            let values = (0..<(12 << 20) / 4).map { _ in Float(bitPattern: UInt32.random(in: 0...0x3f80_0000, using: &generator)) }
            try writeFile(alice, "noise.npy", Fixtures.npy(rows: values.count / 4, columns: 4, values: values))
            _ = try xj(["add", "noise.npy"], alice)
            _ = try xj(["commit", "-m", "noise"], alice)
            _ = try BuiltBinary.git(["init", "--bare", "-q", folder + "/remote.git"], in: folder)
            let daemon = overGitDaemon ? try GitDaemon(basePath: folder) : nil
            defer { daemon?.stop() }
            _ = try xj(["remote", "add", "origin", daemon?.url("remote.git") ?? "file://" + folder + "/remote.git"], alice)
            let push = Process()
            push.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
            push.arguments = ["push"]
            push.currentDirectoryURL = URL(fileURLWithPath: alice)
            push.standardOutput = FileHandle.nullDevice
            push.standardError = FileHandle.nullDevice
            try push.run()
            usleep(150_000)
            kill(push.processIdentifier, SIGKILL)
            push.waitUntilExit()
            #expect(try fsckStrict(alice + "/.journal"))
            #expect(try fsckStrict(folder + "/remote.git"))
            // The push can simply be made again.
            #expect(try xj(["push"], alice).status == 0)
            #expect(try fsckStrict(folder + "/remote.git"))
            #expect(try BuiltBinary.git(["--git-dir", folder + "/remote.git", "rev-parse", "main"], in: folder).stdout
                == BuiltBinary.git(["--git-dir", alice + "/.journal", "rev-parse", "main"], in: folder).stdout)
        }
    }

    @Test func fetchingACorruptObjectFailsAndChangesNothing() throws {
        try withScratchDirectory { folder in
            let alice = folder + "/alice", bob = folder + "/bob"
            try journal(alice)
            _ = try xj(["remote", "add", "origin", folder + "/shared.git"], alice)
            _ = try xj(["push"], alice)
            _ = try xj(["clone", folder + "/shared.git", "bob"], folder)
            // A new commit on the remote whose blob is a loose object there, then damaged.
            let shared = folder + "/shared.git"
            let blob = try BuiltBinary.run("/bin/sh", ["-c", "printf 'a new record' | git --git-dir \(shared) hash-object -w --stdin"], in: folder).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let tree = try BuiltBinary.run("/bin/sh", ["-c", "printf '100644 blob \(blob)\\tnote.md\\n' | git --git-dir \(shared) mktree"], in: folder).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let commit = try BuiltBinary.git(["--git-dir", shared, "commit-tree", tree, "-p", "main", "-m", "more"], in: folder).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try BuiltBinary.git(["--git-dir", shared, "update-ref", "refs/heads/main", commit], in: folder).status == 0)
            let path = shared + "/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
            try #require(FileManager.default.fileExists(atPath: path))
            chmod(path, 0o644)
            var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            bytes[bytes.count - 3] ^= 0x5a
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let before = try snapshot(of: bob + "/.journal")
            let fetch = try BuiltBinary.xj(["fetch"], in: bob)
            #expect(fetch.status != 0)
            #expect(fetch.stderr.hasPrefix("xj: error:"))
            #expect(try snapshot(of: bob + "/.journal") == before)
        }
    }
}
