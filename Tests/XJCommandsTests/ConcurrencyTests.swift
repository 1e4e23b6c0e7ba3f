import Foundation
import Testing
import XJTestSupport

/// Several `xj` processes on one journal, and processes killed mid-write.
@Suite struct ConcurrencyTests {
    /// Two processes commit 50 times each to the same branch at the same time: all 100 commits survive.
    @Test func twoWritersLoseNothing() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let script = """
            for i in $(seq 1 50); do
              "$XJ" add --name "w$1-$i" "value=$i" >/dev/null || exit 1
              "$XJ" commit --allow-empty -m "writer $1 commit $i" >/dev/null || exit 1
            done
            """
            let path = try writeFile(folder, "writer.sh", script)
            let writers = try (1...2).map { number -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = [path, String(number)]
                process.currentDirectoryURL = URL(fileURLWithPath: folder)
                process.environment = ["XJ": BuiltBinary.xjPath, "PATH": "/usr/bin:/bin"]
                try process.run()
                return process
            }
            for writer in writers {
                writer.waitUntilExit()
                #expect(writer.terminationStatus == 0)
            }
            let log = try BuiltBinary.git(["--git-dir", ".journal", "log", "--format=%s", "main"], in: folder)
            let messages = Set(log.stdout.split(separator: "\n").map(String.init))
            #expect(messages.count == 100)
            for writer in 1...2 { for index in 1...50 { #expect(messages.contains("writer \(writer) commit \(index)")) } }
            // Every parameter set staged by either writer reached a commit.
            let tree = try BuiltBinary.git(["--git-dir", ".journal", "ls-tree", "--name-only", "main", "params/"], in: folder)
            #expect(tree.stdout.split(separator: "\n").count == 100)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    /// `xj` killed at arbitrary moments while adding and committing: git fsck accepts the journal,
    /// the branch names a complete commit, and the next commit works.
    @Test func killedWritersLeaveAValidJournal() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            var rows = "a,b,label\n"
            for index in 0..<200_000 { rows += "\(index),\(index % 7).5,\(index % 3)\n" }
            try writeFile(folder, "big.csv", rows)
            var generator = SystemRandomNumberGenerator()
            for round in 0..<12 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "\"$XJ\" add big.csv --name d\(round) && \"$XJ\" commit -m r\(round) && \"$XJ\" commit --allow-empty -m e\(round)"]
                process.currentDirectoryURL = URL(fileURLWithPath: folder)
                process.environment = ["XJ": BuiltBinary.xjPath, "PATH": "/usr/bin:/bin"]
                try process.run()
                usleep(UInt32.random(in: 5_000...250_000, using: &generator))
                _ = try BuiltBinary.run("/usr/bin/pkill", ["-KILL", "-P", String(process.processIdentifier)], in: folder)
                process.waitUntilExit()
                let fsck = try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict", "--no-dangling"], in: folder)
                #expect(fsck.status == 0, "round \(round): \(fsck.stderr)")
                let head = try BuiltBinary.git(["--git-dir", ".journal", "rev-parse", "--verify", "--quiet", "main^{commit}"], in: folder)
                if head.status == 0 {
                    #expect(try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-e", "main^{tree}"], in: folder).status == 0)
                }
            }
            let next = try BuiltBinary.xj(["commit", "--allow-empty", "-m", "after the kills"], in: folder)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(try BuiltBinary.xj(["fsck"], in: folder).status == 0)
        }
    }
}
