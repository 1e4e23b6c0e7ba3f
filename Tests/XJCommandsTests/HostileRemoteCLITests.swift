import Foundation
import Testing
import XJTestSupport

/// Journals crafted with plain git (`hash-object --literally`, `mktree`, `commit-tree`) that break
/// FORMAT.md: clone and fetch refuse them before any ref moves, and `xj fsck` flags them (issue 12 §6).
@Suite struct HostileRemoteCLITests {
    /// Plain-git plumbing on one bare repository.
    struct Craft {
        let gitDirectory: String

        func git(_ arguments: [String]) throws -> String {
            let result = try BuiltBinary.git(["--git-dir", gitDirectory] + arguments, in: "/")
            guard result.status == 0 else { throw CraftError(description: "git \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Writes an object from raw bytes, with no checks (`hash-object --literally`).
        func object(_ type: String, _ bytes: [UInt8]) throws -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("xj-craft-" + UUID().uuidString).path
            FileManager.default.createFile(atPath: file, contents: Data(bytes))
            defer { try? FileManager.default.removeItem(atPath: file) }
            return try git(["hash-object", "-w", "-t", type, "--literally", file])
        }

        /// A tree from (mode, name, id) entries exactly as given (names unchecked, order as given).
        func tree(_ entries: [(String, String, String)]) throws -> String {
            var bytes: [UInt8] = []
            for (mode, name, id) in entries {
                bytes += Array("\(mode) \(name)".utf8) + [0]
                var hex = Substring(id)
                while !hex.isEmpty { bytes.append(UInt8(hex.prefix(2), radix: 16)!); hex = hex.dropFirst(2) }
            }
            return try object("tree", bytes)
        }

        /// The entries of a tree as (mode, name, id).
        func entries(_ tree: String) throws -> [(String, String, String)] {
            try git(["ls-tree", tree]).split(separator: "\n").map { line in
                let parts = line.split(separator: "\t", maxSplits: 1)
                let fields = parts[0].split(separator: " ")
                return (String(fields[0]), String(parts[1]), String(fields[2]))
            }
        }

        /// Commits `tree` on top of main and moves main there.
        func commitOnMain(_ tree: String, _ message: String) throws {
            let commit = try git(["commit-tree", tree, "-p", "main", "-m", message])
            _ = try git(["update-ref", "refs/heads/main", commit])
        }

        /// main's root tree with its `datasets` subtree replaced by `datasets`.
        func rootWith(datasets: String) throws -> String {
            let root = try entries(try git(["rev-parse", "main^{tree}"])).map { $0.1 == "datasets" ? ($0.0, $0.1, datasets) : $0 }
            return try tree(root)
        }
    }

    struct CraftError: Error, CustomStringConvertible { let description: String }

    /// The hostile changes, each applied to a good journal: (what, how to craft it, what the refusal names).
    static let cases: [(String, (Craft) throws -> Void, String)] = [
        ("an entry named ..", { craft in
            let blob = try craft.object("blob", Array("x".utf8))
            let datasets = try craft.tree(try craft.entries(try craft.git(["rev-parse", "main:datasets"])) + [("100644", "..", blob)])
            try craft.commitOnMain(try craft.rootWith(datasets: datasets), "dotdot")
        }, "\"datasets/..\""),
        ("an entry named .git", { craft in
            let blob = try craft.object("blob", Array("[core]\n".utf8))
            let git = try craft.tree([("100644", "config", blob)])
            let root = try craft.tree([("40000", ".git", git)] + (try craft.entries(try craft.git(["rev-parse", "main^{tree}"]))))
            try craft.commitOnMain(root, "dotgit")
        }, "\".git\""),
        ("an entry named /etc/passwd", { craft in
            let blob = try craft.object("blob", Array("root:x:0:0\n".utf8))
            let root = try craft.tree([("100644", "/etc/passwd", blob)] + (try craft.entries(try craft.git(["rev-parse", "main^{tree}"]))))
            try craft.commitOnMain(root, "slash")
        }, "\"/etc/passwd\""),
        ("a dataset named ../../evil", { craft in
            let digits = try craft.git(["rev-parse", "main:datasets/digits"])
            let datasets = try craft.tree([("40000", "../../evil", digits), ("40000", "digits", digits)])
            try craft.commitOnMain(try craft.rootWith(datasets: datasets), "evil name")
        }, "\"datasets/../../evil\""),
        ("a manifest claiming 999 rows", forgeRows("999"), "the manifest says 999 rows, the data has 1797"),
    ]

    /// The size of the digits dataset's data blob in the journal of `folder`.
    static func digitsBytes(_ folder: String) throws -> String {
        try BuiltBinary.git(["--git-dir", ".journal", "cat-file", "-s", "main:datasets/digits/data.csv"], in: folder).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits on main a digits dataset whose manifest claims `rows` rows.
    static func forgeRows(_ rows: String) -> (Craft) throws -> Void {
        { craft in
            let manifest = try craft.git(["cat-file", "blob", "main:datasets/digits/manifest.json"])
            let forged = manifest.replacingOccurrences(of: "\"rows\":1797", with: "\"rows\":\(rows)")
            precondition(forged != manifest, "the manifest's rows field was not found")
            let blob = try craft.object("blob", Array(forged.utf8))
            let dataset = try craft.tree(try craft.entries(try craft.git(["rev-parse", "main:datasets/digits"])).map { $0.1 == "manifest.json" ? ($0.0, $0.1, blob) : $0 })
            let datasets = try craft.tree([("40000", "digits", dataset)])
            try craft.commitOnMain(try craft.rootWith(datasets: datasets), "forged manifest")
        }
    }

    @Test(arguments: 0..<cases.count)
    func hostileRecordsAreRefusedByCloneFetchAndFsck(_ index: Int) throws {
        let (_, craftIt, named) = Self.cases[index]
        try withScratchDirectory { folder in
            let origin = folder + "/origin"
            try FileManager.default.createDirectory(atPath: origin, withIntermediateDirectories: true)
            try makeDigitsJournal(in: origin)
            let served = folder + "/served.git"
            _ = try BuiltBinary.xj(["remote", "add", "origin", served], in: origin)
            #expect(try BuiltBinary.xj(["push"], in: origin).status == 0)
            #expect(try BuiltBinary.xj(["clone", served, "victim"], in: folder).status == 0)
            let victim = folder + "/victim"
            let refsBefore = try BuiltBinary.git(["--git-dir", ".journal", "show-ref"], in: victim).stdout
            let goodMain = try Craft(gitDirectory: served).git(["rev-parse", "main"])

            try craftIt(Craft(gitDirectory: served))

            let fetched = try BuiltBinary.xj(["fetch"], in: victim)
            #expect(fetched.status != 0)
            #expect(fetched.stderr.hasPrefix("xj: error: origin sent records xj refuses, so nothing was taken from it: ") && fetched.stderr.contains(named),
                    "\(fetched.stderr)")
            #expect(fetched.stderr.split(separator: "\n").count == 1)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "show-ref"], in: victim).stdout == refsBefore, "a ref moved")
            #expect(try BuiltBinary.xj(["pull"], in: victim).status != 0)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "show-ref"], in: victim).stdout == refsBefore, "a ref moved")

            let cloned = try BuiltBinary.xj(["clone", served, "second"], in: folder)
            #expect(cloned.status != 0 && cloned.stderr.contains(named), "\(cloned.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/second/.journal"), "a refused clone was kept")
            // Over git://, xj's own client and indexer bring the pack in; the same check refuses it.
            let daemon = try GitDaemon(basePath: folder)
            defer { daemon.stop() }
            let overDaemon = try BuiltBinary.xj(["clone", daemon.url("served.git"), "third"], in: folder)
            #expect(overDaemon.status != 0 && overDaemon.stderr.contains(named) && overDaemon.stderr.split(separator: "\n").count == 1, "\(overDaemon.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/third/.journal"), "a refused clone was kept")

            let fsck = try BuiltBinary.xj(["--journal", served, "fsck", "--full"], in: folder)
            #expect(fsck.status != 0)
            #expect(fsck.stdout.contains("problem: ") && fsck.stdout.contains(named.replacingOccurrences(of: "\"datasets/", with: "\"")) ||
                    fsck.stdout.contains(named), "\(fsck.stdout)")

            // The same records as a cluster sweep's task ref: xj gather takes nothing and deletes nothing.
            let craft = Craft(gitDirectory: served)
            _ = try craft.git(["update-ref", "refs/xj/sweeps/evil/1", try craft.git(["rev-parse", "main"])])
            _ = try craft.git(["update-ref", "refs/heads/main", goodMain])
            let gathered = try BuiltBinary.xj(["gather"], in: victim)
            #expect(gathered.status != 0 && gathered.stderr.hasPrefix("xj: error: origin sent records xj refuses") && gathered.stderr.contains(named),
                    "\(gathered.stderr)")
            #expect(gathered.stderr.split(separator: "\n").count == 1)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "show-ref"], in: victim).stdout == refsBefore, "a ref moved")
            #expect(try craft.git(["for-each-ref", "--format=%(refname)", "refs/xj/sweeps/"]) == "refs/xj/sweeps/evil/1")
        }
    }

    /// A lying row count is refused by name; an absurd one (training reserves room for the rows the
    /// manifest claims) is bounded by the data's size first, so it cannot ask for petabytes.
    @Test(arguments: ["999", "4000000000000000"])
    func trainRefusesADatasetWhoseManifestLies(_ rows: String) throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            try Self.forgeRows(rows)(Craft(gitDirectory: folder + "/.journal"))
            let train = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1"], in: folder)
            #expect(train.status == 1)
            let problem = rows == "999" ? "the manifest says 999 rows, the data has 1797"
                : "the manifest says \(rows) rows, more than the data's \(try Self.digitsBytes(folder)) bytes can hold"
            #expect(train.stderr == "xj: error: dataset digits: \(problem); the journal is damaged or was tampered with: run xj fsck --full\n")
        }
    }

    @Test(arguments: [
        ("refs/heads/main", "garbage\n", "refs/heads/main: \"garbage\\n\" is neither an object id nor `ref: NAME`"),
        ("HEAD", "nonsense", "HEAD: \"nonsense\" is not a ref (no newline at the end)"),
        ("refs/xj/stages/main", "", "refs/xj/stages/main: an empty file is not a ref (no newline at the end)"),
        ("refs/xj/stages/main", "zzzz\n", "refs/xj/stages/main: \"zzzz\\n\" is neither an object id nor `ref: NAME`"),
        ("refs/xj/stages/main", "ref: refs/xj/stages/main\n", "refs/xj/stages/main: names itself"),
        ("refs/heads/side", "ref: refs/heads/main\n", "refs/heads/side: is a symbolic ref to refs/heads/main; xj writes direct refs there"),
    ])
    func brokenRefFilesAreFlaggedByFsck(_ file: String, _ content: String, _ problem: String) throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let path = folder + "/.journal/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data(content.utf8))
            let fsck = try BuiltBinary.xj(["fsck"], in: folder)
            #expect(fsck.status != 0)
            #expect(fsck.stdout.contains("problem: " + problem), "\(fsck.stdout)\(fsck.stderr)")
            #expect(!fsck.stdout.hasSuffix("ok\n"))
        }
    }
}
