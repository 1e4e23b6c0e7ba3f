import Foundation
import Testing
import XJTestSupport

/// `xj suggest` (issue 17, first part): points learned from comparable runs, never a recorded run key,
/// history filtered by comparability, bad ranges refused in one line.
@Suite struct SuggestCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(300))")
    }

    static let search = ["--data", "digits", "--model", "mlp", "lr=1e-3:1e-1:log", "hidden=4..32:log", "epochs=2"]

    @Test func suggestsNewPointsFromComparableRunsAndTrainsThem() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            // Twelve runs of the same search: the Gaussian process takes over from the random start-up after ten.
            let first = try BuiltBinary.xj(["suggest"] + Self.search + ["-n", "12", "--run", "--jobs", "2", "--json"], in: folder)
            #expect(first.status == 0, "\(first.stderr)")
            let started = try Self.json(first.stdout)
            #expect(started["comparable_runs"] as? Int == 0 && (started["method"] as? String ?? "").hasPrefix("random start-up"))
            #expect((started["trained"] as? [Any])?.count == 12 && started["commit"] is String)
            // Runs on another dataset or with another fixed value do not count.
            _ = try BuiltBinary.xj(["train", "--data", "digits", "--model", "mlp", "lr=0.01", "hidden=8", "epochs=3"], in: folder)
            let next = try Self.json(try BuiltBinary.xj(["suggest"] + Self.search + ["-n", "3", "--json"], in: folder).stdout)
            #expect(next["comparable_runs"] as? Int == 12 && next["other_runs"] as? Int == 1 && next["method"] as? String == "Gaussian process")
            let suggestions = try #require(next["suggestions"] as? [[String: Any]])
            // Each says why: the model's prediction, its interval, the chance and size of an improvement.
            for suggestion in suggestions {
                let prediction = try #require(suggestion["prediction"] as? [String: Double], "\(suggestion)")
                let (value, low, high) = (prediction["value"] ?? .nan, prediction["low"] ?? .nan, prediction["high"] ?? .nan)
                #expect(low > 0 && low < value && value < high && high < 10, "\(prediction)")
                #expect((0...1).contains(prediction["probability_of_improvement"] ?? -1) && (prediction["expected_improvement"] ?? -1) >= 0)
            }
            let table = try BuiltBinary.xj(["suggest"] + Self.search + ["-n", "2"], in: folder).stdout
            #expect(table.contains("method: Gaussian process") && table.contains("predicted val_loss (90%)") && table.contains("P(better)"), "\(table)")
            #expect(suggestions.count == 3 && Set(suggestions.compactMap { $0["run_key"] as? String }).count == 3)
            // None of them is a recorded run key.
            let runs = try BuiltBinary.xj(["runs", "--all", "--json"], in: folder).stdout
            for suggestion in suggestions { #expect(!runs.contains(suggestion["run_key"] as? String ?? "?")) }
            for suggestion in suggestions {
                let params = try #require(suggestion["params"] as? [String: Any])
                let lr = try #require(params["lr"] as? Double), hidden = try #require(params["hidden"] as? Double)
                #expect(lr >= 1e-3 && lr <= 1e-1 && hidden >= 4 && hidden <= 32 && hidden == hidden.rounded() && params["epochs"] as? Double == 2)
            }
            // The same journal and seed give the same suggestions.
            let again = try Self.json(try BuiltBinary.xj(["suggest"] + Self.search + ["-n", "3", "--json"], in: folder).stdout)
            #expect((again["suggestions"] as? NSArray) == (next["suggestions"] as? NSArray))
        }
    }

    @Test(arguments: [
        (["lr=1:0"], "xj: error: parameter `lr`: a range needs lo < hi, got 1:0"),
        (["hidden=32..4"], "xj: error: parameter `hidden`: the range 32..4 needs lo < hi"),
        (["hidden=0..8:log"], "xj: error: parameter `hidden`: a log range needs lo > 0, got 0..8:log"),
        // A bound the trainer refuses is named as written, not as a value drawn inside the range.
        (["dropout=0:1.5"], "xj: error: parameter `dropout`: must be < 1, got 1.5"),
        (["epochs=2"], "xj: error: parameter `ranges`: nothing to search: give at least one range (lr=1e-4:1e-1:log) or list (optimizer=adam,sgd)"),
        (["lr=1e-3:1e-1", "widht=1..3"], nil),
        (["lr=1e-3:1e-1", "--maximize"], "xj: error: parameter `--maximize`: with --metric val_loss it would search for the worst runs; name the metric to maximise, e.g. --metric val_accuracy --maximize"),
    ])
    func badSearchesAreRefusedInOneLine(_ arguments: [String], _ message: String?) throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let refused = try BuiltBinary.xj(["suggest", "--data", "digits", "--model", "mlp"] + arguments, in: folder)
            #expect(refused.status != 0 && refused.stderr.hasPrefix("xj: error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            if let message { #expect(refused.stderr == message + "\n") } else { #expect(refused.stderr.contains("widht")) }
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }

    @Test func aMetricNoRunRecordsIsRefused() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            // Before any run: a name the trainer never records is refused, not trained on with empty results.
            let before = try snapshot(of: folder + "/.journal")
            let early = try BuiltBinary.xj(["suggest"] + Self.search + ["--metric", "val_acuracy", "-n", "2", "--run"], in: folder)
            #expect(early.status == 1 && early.stderr == "xj: error: parameter `--metric`: neither xj train nor any experiment here records `val_acuracy`; did you mean `val_accuracy`?\n", "\(early.stderr)")
            #expect(try snapshot(of: folder + "/.journal") == before)
            _ = try BuiltBinary.xj(["suggest"] + Self.search + ["-n", "2", "--run"], in: folder)
            let refused = try BuiltBinary.xj(["suggest"] + Self.search + ["--metric", "val_acuracy"], in: folder)
            #expect(refused.status == 1 && refused.stderr.contains("val_acuracy") && refused.stderr.contains("val_accuracy"), "\(refused.stderr)")
        }
    }

    /// A metric the trainer records only for another kind of data (accuracy on a regression target, the
    /// squared error on classes) would leave every run's score empty: refused before anything trains.
    @Test func aMetricOfAnotherKindOfDataIsRefusedBeforeTraining() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            // A numeric target of many values: a regression dataset.
            try writeFile(folder, "curve.csv", "x,y\n" + (0..<60).map { "\(Double($0) / 10),\(Double($0 * $0) / 97 + 0.5)" }.joined(separator: "\n") + "\n")
            _ = try BuiltBinary.xj(["add", "curve.csv", "--name", "curve", "--label", "y"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "curve"], in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let accuracy = try BuiltBinary.xj(["suggest", "--data", "curve", "--model", "mlp", "lr=1e-3:1e-1:log", "epochs=2",
                                               "--metric", "val_accuracy", "--maximize", "-n", "2", "--run"], in: folder)
            #expect(accuracy.status == 1 && accuracy.stderr == "xj: error: parameter `--metric`: xj train records `val_accuracy` only on classification datasets, "
                    + "and curve is a regression dataset; val_loss suits every kind\n", "\(accuracy.stderr)")
            let r2 = try BuiltBinary.xj(["suggest"] + Self.search + ["--metric", "val_r2", "--maximize", "--run"], in: folder)
            #expect(r2.status == 1 && r2.stderr.contains("`val_r2` only on regression datasets, and digits is a classification dataset"), "\(r2.stderr)")
            #expect(try snapshot(of: folder + "/.journal") == before)
            // The same metric on the kind that records it is searched.
            let rmse = try BuiltBinary.xj(["suggest", "--data", "curve", "--model", "mlp", "lr=1e-3:1e-1:log", "epochs=2", "--metric", "val_rmse", "-n", "2"], in: folder)
            #expect(rmse.status == 0, "\(rmse.stderr)")
        }
    }

    /// A program that records no value of the searched metric: its runs are kept (they ran), and one line
    /// says they count as failed and what they did record; the next suggestion refuses the metric.
    @Test func programRunsThatRecordNoValueOfTheMetricAreReported() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            try writeFile(folder, "fit.py", "import json, os\njson.dump({'accuracy': 0.9}, open(os.path.join(os.environ['XJ_OUTPUT'], 'metrics.json'), 'w'))\n")
            let search = ["suggest", "--for", "xj run -- python3 fit.py", "--param", "C=1e-3:1e3:log", "--metric", "val_accuracy", "--maximize"]
            let ran = try BuiltBinary.xj(search + ["-n", "2", "--run"], in: folder)
            #expect(ran.status == 0, "\(ran.stderr)")
            #expect(ran.stderr.contains("xj: warning: none of the 2 runs just made recorded `val_accuracy`, so they count as failed runs in the search; recorded: accuracy "
                                        + "(a program writes its metrics as a JSON object to $XJ_OUTPUT/metrics.json)"), "\(ran.stderr)")
            #expect(try Self.recorded(folder).experiments.count == 2)
            let next = try BuiltBinary.xj(search, in: folder)
            #expect(next.status == 1 && next.stderr.contains("no comparable run of `python3 fit.py` records `val_accuracy`"), "\(next.stderr)")
        }
    }

    /// Every experiment id `xj runs --json` lists, and the run keys.
    static func recorded(_ folder: String) throws -> (experiments: [String], runKeys: [String]) {
        let rows = try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["runs", "--all", "--json"], in: folder).stdout.utf8)) as? [[String: Any]] ?? []
        return (rows.compactMap { $0["experiment"] as? String }, Array(Set(rows.compactMap { $0["run_key"] as? String })))
    }

    /// `xj grid --suggest N` killed with SIGKILL part-way: running it again trains exactly the missing
    /// trials, each run key once, and a third run trains nothing.
    @Test func theSuggestLoopResumesAfterAKillAndTrainsEachRunKeyOnce() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let arguments = ["grid", "--data", "digits", "--model", "mlp", "lr=1e-3:1e-1:log", "hidden=4..32:log", "epochs=15", "--suggest", "8"]
            let loop = Process()
            loop.executableURL = URL(fileURLWithPath: BuiltBinary.xjPath)
            loop.arguments = arguments
            loop.currentDirectoryURL = URL(fileURLWithPath: folder)
            loop.standardOutput = FileHandle.nullDevice
            loop.standardError = FileHandle.nullDevice
            try loop.run()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, loop.isRunning, try Self.recorded(folder).experiments.count < 3 { usleep(100_000) }
            kill(loop.processIdentifier, SIGKILL)
            loop.waitUntilExit()
            let before = try Self.recorded(folder).experiments.count
            #expect(before >= 3 && before < 8, "killed after \(before) trials")
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
            let resumed = try BuiltBinary.xj(arguments + ["--json"], in: folder)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let result = try Self.json(resumed.stdout)
            #expect(result["comparable_runs"] as? Int == 8 && result["trained"] as? Int == 8 - before)
            let after = try Self.recorded(folder)
            #expect(after.experiments.count == 8 && Set(after.runKeys).count == 8)
            let third = try BuiltBinary.xj(arguments, in: folder)
            #expect(third.status == 0 && third.stdout.contains("8 of 8 trials recorded (0 trained now") && third.stdout.contains("nothing new to train"), "\(third.stdout)")
        }
    }

    /// A loop asked for more trials than its space holds stops when the space is used up, and says so.
    @Test func aSuggestLoopLargerThanItsSpaceSaysTheSpaceIsUsedUp() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let loop = try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=4..5", "epochs=1", "--suggest", "4"], in: folder)
            #expect(loop.status == 0 && loop.stdout.contains("2 of 4 trials recorded (2 trained now")
                    && loop.stdout.contains("the search space holds no other point: every one it can draw is recorded"), "\(loop.stdout)\(loop.stderr)")
            let again = try Self.json(try BuiltBinary.xj(["grid", "--data", "digits", "--model", "mlp", "hidden=4..5", "epochs=1", "--suggest", "4", "--json"], in: folder).stdout)
            #expect(again["exhausted"] as? Bool == true && again["trained"] as? Int == 0 && again["comparable_runs"] as? Int == 2)
        }
    }

    /// --from-similar: a new search on a digits-like dataset starts from digits' best run, not from the
    /// regression set's, and says which datasets it borrowed from.
    @Test func fromSimilarStartsWithTheBestRunsOfTheMostSimilarDataset() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let lines = try String(contentsOfFile: Fixtures.digitsPath, encoding: .utf8).split(separator: "\n")
            try writeFile(folder, "small.csv", lines.prefix(901).joined(separator: "\n") + "\n")
            var regression = ["a,b,y"]
            for row in 0..<300 { regression.append("\(row % 17),\((row * 7) % 23),\(Double(row % 17) * 0.5 + Double((row * 7) % 23) * 0.25)") }
            try writeFile(folder, "line.csv", regression.joined(separator: "\n") + "\n")
            _ = try BuiltBinary.xj(["add", "small.csv", "--label", "target"], in: folder)
            _ = try BuiltBinary.xj(["add", "line.csv", "--label", "y"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "two more datasets"], in: folder)
            let search = ["--model", "mlp", "lr=1e-3:1e-1:log", "hidden=4..32:log", "epochs=2"]
            // Nothing to borrow yet: said, not silently ignored.
            let alone = try BuiltBinary.xj(["suggest", "--data", "small"] + search + ["-n", "1", "--from-similar", "1"], in: folder).stdout
            #expect(alone.contains("--from-similar borrowed nothing: no other dataset has runs of --model mlp recording val_loss"), "\(alone)")
            let digits = try Self.json(try BuiltBinary.xj(["suggest", "--data", "digits"] + search + ["-n", "4", "--run", "--json"], in: folder).stdout)
            _ = try BuiltBinary.xj(["suggest", "--data", "line"] + search + ["-n", "3", "--run"], in: folder)
            let trained = try #require(digits["trained"] as? [[String: Any]])
            let best = try #require(trained.min { ($0["val_loss"] as? Double ?? .infinity) < ($1["val_loss"] as? Double ?? .infinity) })
            let bestParams = try #require(best["params"] as? [String: Any])
            let warm = try BuiltBinary.xj(["suggest", "--data", "small"] + search + ["-n", "2", "--from-similar", "1", "--json"], in: folder)
            #expect(warm.status == 0, "\(warm.stderr)")
            let result = try Self.json(warm.stdout)
            let similar = try #require(result["similar_datasets"] as? [[String: Any]])
            #expect(similar.count == 1 && similar[0]["dataset"] as? String == "digits" && similar[0]["runs"] as? Int == 4)
            #expect(result["method"] as? String == "warm start from similar datasets")
            let first = try #require((result["suggestions"] as? [[String: Any]])?.first?["params"] as? [String: Any])
            #expect(first["lr"] as? Double == bestParams["lr"] as? Double && first["hidden"] as? Double == (bestParams["hidden"] as? [Double])?.first ?? bestParams["hidden"] as? Double,
                    "\(first) vs \(bestParams)")
            let text = try BuiltBinary.xj(["suggest", "--data", "small"] + search + ["-n", "1", "--from-similar", "2"], in: folder).stdout
            #expect(text.contains("starting from the best runs of digits (similarity "), "\(text)")
        }
    }

    /// --for: a program recorded by xj run; its runs with the same code are the history, a change to the
    /// code makes another search.
    @Test func suggestsForAProgramRecordedByXjRun() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let code = folder + "/code"
            try FileManager.default.createDirectory(atPath: code, withIntermediateDirectories: true)
            try writeFile(code, "fit.py", "import json, math, os\nc = json.load(open(os.environ['XJ_PARAMS']))['C']\n" +
                          "json.dump({'val_accuracy': 1 - (math.log10(c) - 0.5) ** 2 / 20}, open(os.path.join(os.environ['XJ_OUTPUT'], 'metrics.json'), 'w'))\n")
            let search = ["suggest", "--journal", folder, "--for", "xj run --code . -- python3 fit.py", "--param", "C=1e-3:1e3:log", "--metric", "val_accuracy", "--maximize"]
            let first = try BuiltBinary.xj(search + ["-n", "6", "--run", "--json"], in: code)
            #expect(first.status == 0, "\(first.stderr)")
            #expect((try Self.json(first.stdout)["ran"] as? [Any])?.count == 6)
            let next = try Self.json(try BuiltBinary.xj(search + ["-n", "2", "--json"], in: code).stdout)
            #expect(next["comparable_runs"] as? Int == 6 && (next["suggestions"] as? [Any])?.count == 2)
            let best = try #require((next["best"] as? [String: Any])?["value"] as? Double)
            #expect(best <= 1 && best > 0.5)
            // After the start-up each point says what the Gaussian process expects, in the maximised metric's own units.
            _ = try BuiltBinary.xj(search + ["-n", "6", "--run", "--json"], in: code)
            let modelled = try Self.json(try BuiltBinary.xj(search + ["-n", "2", "--json"], in: code).stdout)
            #expect(modelled["method"] as? String == "Gaussian process")
            for suggestion in try #require(modelled["suggestions"] as? [[String: Any]]) {
                let c = try #require((suggestion["params"] as? [String: Any])?["C"] as? Double)
                let truth = 1 - pow(log10(c) - 0.5, 2) / 20
                let p = try #require(suggestion["prediction"] as? [String: Double])
                let (low, value, high) = (p["low"] ?? .nan, p["value"] ?? .nan, p["high"] ?? .nan)
                #expect(low <= truth && truth <= high && low < value && value < high && high < 1.2, "C=\(c): \(truth) vs \(p)")
            }
            // Another version of the code is another search.
            try writeFile(code, "fit.py", "import json, os\njson.dump({'val_accuracy': 0.5}, open(os.path.join(os.environ['XJ_OUTPUT'], 'metrics.json'), 'w'))\n")
            let changed = try Self.json(try BuiltBinary.xj(search + ["--json"], in: code).stdout)
            #expect(changed["comparable_runs"] as? Int == 0 && changed["other_runs"] as? Int == 12)
            let refused = try BuiltBinary.xj(["suggest", "--journal", folder, "--for", "python3 fit.py", "--param", "C=1:2"], in: code)
            #expect(refused.status == 64 && refused.stderr.hasPrefix("xj: error: --for takes an xj run command line"))
        }
    }
}
