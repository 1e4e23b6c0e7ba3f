import Foundation
import Testing
import XJTestSupport

/// `xj runs` as the experiment table (issue 16 §1): columns, --where, --sort, -n, --on/--all, --csv,
/// --json, refusals, and the summary cache answering exactly as a full read does.
@Suite struct ExperimentTableCLITests {
    /// digits, a 2 × 2 grid (lr × seed) on main, and one run on the line `wide`.
    static func makeJournal(_ folder: String) throws {
        try makeDigitsJournal(in: folder)
        let grid = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=8", "epochs=2", "lr=0.1,0.01", "seed=1,2"], in: folder)
        #expect(grid.status == 0, "\(grid.stderr)")
        _ = try BuiltBinary.xj(["branch", "wide"], in: folder)
        _ = try BuiltBinary.xj(["switch", "wide"], in: folder)
        _ = try BuiltBinary.xj(["train", "--data", "digits", "hidden=32", "epochs=2", "seed=1"], in: folder)
        _ = try BuiltBinary.xj(["commit", "-m", "wider"], in: folder)
        _ = try BuiltBinary.xj(["switch", "main"], in: folder)
    }

    static func rows(_ folder: String, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try BuiltBinary.xj(["runs", "--json"] + arguments, in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func param(_ row: [String: Any], _ key: String) -> Double? { (row["params"] as? [String: Any])?[key] as? Double }
    static func metric(_ row: [String: Any], _ key: String) -> Double? { (row["metrics"] as? [String: Any])?[key] as? Double }

    @Test func theTableShowsWhatVariesAndFiltersSortsAndLimits() throws {
        try withScratchDirectory { folder in
            try Self.makeJournal(folder)
            let table = try BuiltBinary.xj(["runs"], in: folder)
            let lines = table.stdout.split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: " ").map(String.init)
            #expect(header == ["experiment", "date", "line", "dataset", "model", "lr", "seed", "val_loss", "val_accuracy", "status", "checks"],
                    "the parameters that vary (not hidden, not epochs), the headline metrics: \(lines[0])")
            #expect(lines.count == 5, "the current line's 4 experiments: \(table.stdout)")
            #expect(lines.dropFirst().allSatisfy { $0.contains(" main ") && $0.contains(" digits ") && $0.contains(" ok ") })

            // Everything vs the current line vs another line.
            #expect(try Self.rows(folder, []).count == 4)
            #expect(try Self.rows(folder, ["--all"]).count == 5)
            let wide = try Self.rows(folder, ["--on", "wide"])
            #expect(wide.count == 5, "wide branched from main, so it holds main's four and its own")
            #expect(try Self.rows(folder, ["--on", "wide", "--where", "hidden = 32"]).count == 1)

            let all = try Self.rows(folder, [])
            #expect(all.allSatisfy { $0["dataset"] as? String == "digits" && $0["status"] as? String == "ok" && $0["model"] as? String == "mlp"
                && ($0["lines"] as? [String]) == ["main", "wide"] && Self.metric($0, "val_loss") != nil })
            let small = try Self.rows(folder, ["--where", "lr < 0.05"])
            #expect(small.count == 2 && small.allSatisfy { Self.param($0, "lr") == 0.01 })
            #expect(try Self.rows(folder, ["--where", "lr < 0.05 and seed = 1"]).count == 1)
            #expect(try Self.rows(folder, ["--where", "not (lr = 0.1) or seed in (2)"]).count == 3)
            #expect(try Self.rows(folder, ["--where", "status = ok and dataset = digits and model = mlp and line = main"]).count == 4)
            #expect(try Self.rows(folder, ["--where", "date > 2000-01-01 and date < 2999"]).count == 4)
            #expect(try Self.rows(folder, ["--where", "params.lr = 0.1 and metrics.val_loss > 0"]).count == 2)

            let sorted = try Self.rows(folder, ["--sort", "-val_accuracy,lr"])
            let accuracies = sorted.compactMap { Self.metric($0, "val_accuracy") }
            #expect(accuracies == accuracies.sorted(by: >) && accuracies.count == 4)
            let ascending = try Self.rows(folder, ["--sort", "lr,-seed", "-n", "3"])
            #expect(ascending.map { [Self.param($0, "lr")!, Self.param($0, "seed")!] } == [[0.01, 2], [0.01, 1], [0.1, 2]])

            let csv = try BuiltBinary.xj(["runs", "--csv", "--columns", "experiment,lr,seed,val_loss", "--sort", "lr,seed"], in: folder).stdout
            let csvLines = csv.split(separator: "\n").map(String.init)
            #expect(csvLines[0] == "experiment,lr,seed,val_loss" && csvLines.count == 5)
            #expect(csvLines[1].split(separator: ",").count == 4 && csvLines[1].split(separator: ",")[0].count == 40)
            let full = try BuiltBinary.xj(["runs", "--csv"], in: folder).stdout.split(separator: "\n")
            #expect(full[0].contains(",hidden,") && full[0].contains(",epochs,") && full[0].contains(",val_loss,"), "--csv has every parameter and metric")

            // A narrow terminal keeps the experiment and the metrics and says what it left out.
            let narrow = try BuiltBinary.xj(["runs"], in: folder, environment: ["COLUMNS": "70"]).stdout
            let narrowLines = narrow.split(separator: "\n").map(String.init)
            #expect(narrowLines.dropLast().allSatisfy { $0.count <= 69 }, "\(narrow)")
            #expect(narrowLines[0].hasPrefix("experiment") && narrowLines[0].contains("val_loss"))
            #expect(narrowLines.last!.hasPrefix("(") && narrowLines.last!.contains("left out to fit the terminal"))
        }
    }

    @Test func badExpressionsAreRefusedInOneLineAndChangeNothing() throws {
        try withScratchDirectory { folder in
            try Self.makeJournal(folder)
            _ = try BuiltBinary.xj(["runs", "--all"], in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let cases: [([String], String)] = [
                (["--where", "lrr < 0.1"], "did you mean \"lr\"?"),
                (["--where", "lr <"], "column 5 (at the end): expected a value"),
                (["--where", "lr < 0.1 and"], "expected a comparison"),
                (["--where", "lr < 0.1 and 5 > 1"], "expected a field name"),
                (["--where", "(lr < 0.1"], "expected `)`"),
                (["--where", "lr ~ 1"], "expected a comparison"),
                (["--where", "lr < nan"], "not a finite number"),
                (["--where", "optimizer in adam"], "expected `(` after `in`"),
                (["--where", "note = 'open"], "not closed"),
                (["--sort", "val_los"], "did you mean \"val_loss\"?"),
                (["--sort", "lr,,seed"], "an empty key"),
                (["--columns", "experiment,hiden"], "did you mean \"hidden\"?"),
                (["-n", "0"], "positive count"),
                (["--all", "--on", "main"], "give one"),
                (["--on", "mian"], "did you mean \"main\"?"),
                (["zz"], "not a run key or experiment id prefix"),
            ]
            for (arguments, expected) in cases {
                let result = try BuiltBinary.xj(["runs"] + arguments, in: folder)
                #expect(result.status != 0, "\(arguments)")
                #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix("xj: error:") && result.stdout.isEmpty, "\(arguments): \(result.stderr)")
            }
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }

    /// The cache answers exactly as the objects do; a damaged or torn cache is thrown away and rebuilt.
    @Test func theSummaryCacheAnswersAsTheFullReadAndIsRebuiltWhenDamaged() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let grid = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "linear", "epochs=1", "seed=1..60", "lr=0.1,0.01"], in: folder)
            #expect(grid.status == 0, "\(grid.stderr)")
            let cache = folder + "/.journal/xj/summaries"
            let arguments = ["runs", "--all", "--json", "--sort", "experiment"]
            let fromObjects = try BuiltBinary.xj(arguments, in: folder).stdout
            #expect(try Self.rows(folder, ["--all"]).count == 120)
            let written = try #require(FileManager.default.contents(atPath: cache))
            // A header line, then records framed by their length (FORMAT.md): one per experiment.
            #expect(written.starts(with: Data("xj-summaries 4\n".utf8)))
            var records = 0, offset = 15
            while offset + 12 <= written.count {
                let length = Int(written[offset]) | Int(written[offset + 1]) << 8 | Int(written[offset + 2]) << 16 | Int(written[offset + 3]) << 24
                offset += 12 + length
                records += 1
            }
            #expect(records == 120 && offset == written.count, "a header and one record per experiment")
            #expect(try BuiltBinary.xj(arguments, in: folder).stdout == fromObjects, "from the cache")
            #expect(FileManager.default.contents(atPath: cache) == written, "a complete cache is not rewritten")
            // A -n table ordered by what the index holds reads only its rows' summaries: the same rows.
            for sort in [[], ["--sort", "experiment"], ["--sort", "-run_key,date"]] {
                let full = try Self.rows(folder, ["--all"] + sort).compactMap { $0["experiment"] as? String }
                let top = try Self.rows(folder, ["--all", "-n", "7"] + sort).compactMap { $0["experiment"] as? String }
                #expect(top == Array(full.prefix(7)), "\(sort)")
            }

            // One flipped byte in the middle of the file.
            var damaged = [UInt8](written)
            let position = damaged.count / 2
            damaged[position] = damaged[position] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            try Data(damaged).write(to: URL(fileURLWithPath: cache))
            #expect(try BuiltBinary.xj(arguments, in: folder).stdout == fromObjects)
            #expect(FileManager.default.contents(atPath: cache) == written, "rebuilt as it was")

            // A torn append (a killed writer) and a file of another version.
            try Data(written.prefix(written.count - 40)).write(to: URL(fileURLWithPath: cache))
            #expect(try BuiltBinary.xj(arguments, in: folder).stdout == fromObjects)
            try Data("xj-summaries 9\n".utf8).write(to: URL(fileURLWithPath: cache))
            #expect(try BuiltBinary.xj(arguments, in: folder).stdout == fromObjects)
            #expect(FileManager.default.contents(atPath: cache) == written)

        }
    }

    /// The streamed table (columns and widths from the scope's profile, rows printed as they are
    /// decoded) prints exactly what the whole table prints; a scope that gains experiments is brought
    /// up to date, and a damaged or stale profile is made anew. `--where` with a condition every row
    /// meets takes the whole-table path.
    @Test func theStreamedTablePrintsWhatTheWholeTablePrints() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let grid = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "linear", "epochs=1", "seed=1..100", "lr=0.1,0.01"], in: folder)
            #expect(grid.status == 0, "\(grid.stderr)")
            let everyRow = ["--where", "status = ok or status != ok"]
            func same(_ arguments: [String], environment: [String: String] = [:], _ comment: Comment) throws {
                let streamed = try BuiltBinary.xj(["runs"] + arguments, in: folder, environment: environment)
                let whole = try BuiltBinary.xj(["runs"] + arguments + everyRow, in: folder, environment: environment)
                #expect(streamed.status == 0 && whole.status == 0, "\(streamed.stderr)\(whole.stderr)")
                #expect(streamed.stdout == whole.stdout, comment)
                #expect(streamed.stdout.split(separator: "\n").count > 100, comment)
            }
            try same([], "the default table")
            let profiles = folder + "/.journal/xj/tables"
            let stored = try FileManager.default.contentsOfDirectory(atPath: profiles).filter { !$0.hasPrefix(".") }
            #expect(stored.count == 1, "one profile for the line")

            // A tag, a second line holding the same experiments, a run of a new model and a new parameter.
            let ids = try Self.rows(folder, []).compactMap { $0["experiment"] as? String }
            _ = try BuiltBinary.xj(["tag", String(ids[3].prefix(7)), "best"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "tag"], in: folder)
            _ = try BuiltBinary.xj(["branch", "wide"], in: folder)
            let mlp = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "hidden=8", "epochs=1", "seed=1"], in: folder)
            #expect(mlp.status == 0, "\(mlp.stderr)")
            try same([], "after a staged run, a tag and a second line")
            _ = try BuiltBinary.xj(["commit", "-m", "mlp"], in: folder)
            for arguments in [[], ["--all"], ["--all-params"], ["--sort", "date"], ["--sort", "-experiment"], ["--on", "wide"]] {
                try same(arguments, "xj runs \(arguments.joined(separator: " "))")
            }
            try same([], environment: ["COLUMNS": "90"], "fitted to a 90-column terminal")

            // Damage: a flipped byte fails the checksum; the profile is made anew, the output unchanged.
            for name in try FileManager.default.contentsOfDirectory(atPath: profiles) where !name.hasPrefix(".") {
                var bytes = [UInt8](try #require(FileManager.default.contents(atPath: profiles + "/" + name)))
                bytes[bytes.count / 2] ^= 0x20
                try Data(bytes).write(to: URL(fileURLWithPath: profiles + "/" + name))
            }
            try same([], "from a damaged profile")
            try same(["--all"], "from a damaged profile of every line")
        }
    }
}
