import Foundation
import Testing
import XJTestSupport

/// `xj run` reads nothing reachable only through a symbolic link out of its output folder (issue 12 §5).
@Suite struct RunContainmentCLITests {
    /// A secret outside the output folder that no program may make xj copy into the journal.
    static let secret = "TOP-SECRET-\(UUID().uuidString)"

    /// Every blob's content in the journal, as one string (loose objects through git cat-file).
    func journalContains(_ text: String, in folder: String) throws -> Bool {
        let objects = try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "--batch-all-objects", "--batch"], in: folder)
        return objects.stdout.contains(text)
    }

    @Test(arguments: [
        ("ln -s \"$SECRET_FILE\" \"$XJ_OUTPUT/passwd\"", "passwd (a symbolic link"),
        ("ln -s \"$SECRET_DIR\" \"$XJ_OUTPUT/etc\"", "etc (a symbolic link"),
        ("mkdir \"$XJ_OUTPUT/sub\" && ln -s ../../../secret/s.txt \"$XJ_OUTPUT/sub/rel\"", "sub/rel (a symbolic link"),
        ("echo '{\"acc\": 1}' > \"$SECRET_DIR/metrics.json\"; ln -s \"$SECRET_DIR/metrics.json\" \"$XJ_OUTPUT/metrics.json\"", "metrics.json (a symbolic link"),
    ])
    func symbolicLinksAreNotFollowed(_ script: String, _ skipped: String) throws {
        try withScratchDirectory { folder in
            try FileManager.default.createDirectory(atPath: folder + "/secret", withIntermediateDirectories: true)
            try writeFile(folder + "/secret", "s.txt", Self.secret + "\n")
            _ = try BuiltBinary.xj(["init"], in: folder)
            let result = try BuiltBinary.xj(["run", "--", "/bin/sh", "-c", "echo kept > \"$XJ_OUTPUT/kept.txt\"; " + script], in: folder,
                                            environment: ["SECRET_FILE": folder + "/secret/s.txt", "SECRET_DIR": folder + "/secret"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("xj: warning: not recorded: XJ_OUTPUT/" + skipped), "\(result.stderr)")
            _ = try BuiltBinary.xj(["commit", "-m", "run"], in: folder)
            #expect(try !journalContains(Self.secret, in: folder), "a file outside the output folder was copied into the journal")
            #expect(try journalContains("kept", in: folder))
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test func replacingTheOutputFolderRecordsNothingFromIt() throws {
        try withScratchDirectory { folder in
            try FileManager.default.createDirectory(atPath: folder + "/secret", withIntermediateDirectories: true)
            try writeFile(folder + "/secret", "s.txt", Self.secret + "\n")
            _ = try BuiltBinary.xj(["init"], in: folder)
            for swap in ["rm -rf \"$XJ_OUTPUT\" && ln -s \"$SECRET_DIR\" \"$XJ_OUTPUT\"",
                         "rm -rf \"$XJ_OUTPUT\" && mkdir \"$XJ_OUTPUT\" && cp \"$SECRET_DIR/s.txt\" \"$XJ_OUTPUT/\""] {
                let result = try BuiltBinary.xj(["run", "--force", "--", "/bin/sh", "-c", swap], in: folder, environment: ["SECRET_DIR": folder + "/secret"])
                #expect(result.status != 0)
                #expect(result.stderr.contains("XJ_OUTPUT") && result.stderr.contains("nothing in it was recorded"), "\(result.stderr)")
            }
            _ = try BuiltBinary.xj(["commit", "-m", "runs"], in: folder)
            #expect(try !journalContains(Self.secret, in: folder))
        }
    }

    @Test func oversizedMetricsAreRefusedWithoutEchoingThem() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            // 17 MiB of metrics.json: over the 16 MiB that xj parses.
            let script = "head -c 17825792 /dev/zero | tr '\\\\0' 'x' > \"$XJ_OUTPUT/metrics.json\""
            let result = try BuiltBinary.xj(["run", "--", "/bin/sh", "-c", script], in: folder)
            #expect(result.status != 0)
            #expect(result.stderr.contains("XJ_OUTPUT/metrics.json: is 17825792 bytes; xj parses at most"), "\(result.stderr.prefix(300))")
            #expect(result.stderr.count < 400, "the error line quoted the file")
        }
    }
}
