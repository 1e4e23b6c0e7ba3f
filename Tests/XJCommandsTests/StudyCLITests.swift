import Foundation
import Testing
import XJTestSupport

/// The MC-dropout study script (issue 18) in reduced form, and what it relies on: regression read
/// from integer scores (`xj add --task regression`), a test part, training without validation rows.
@Suite struct StudyCLITests {
    static var root: String {
        URL(fileURLWithPath: Fixtures.digitsPath).deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(300))")
    }

    @Test func integerScoresCanBeReadAsRegression() throws {
        try withScratchDirectory { folder in
            _ = try BuiltBinary.xj(["init"], in: folder)
            let wine = Self.root + "/data/uci/wine-quality-red.csv"
            let classes = try Self.json(try BuiltBinary.xj(["add", wine, "--name", "as-classes", "--label", "y", "--json"], in: folder).stdout)
            #expect((classes["manifest"] as? [String: Any])?["task"] as? String == "classification")
            let added = try BuiltBinary.xj(["add", wine, "--name", "wine", "--label", "y", "--task", "regression"], in: folder)
            #expect(added.status == 0 && added.stdout.contains("(regression)"), "\(added.stdout)\(added.stderr)")
            _ = try BuiltBinary.xj(["commit", "-m", "wine"], in: folder)
            #expect(try BuiltBinary.xj(["fsck", "--full"], in: folder).status == 0)
            let refused = try BuiltBinary.xj(["add", wine, "--task", "classification"], in: folder)
            #expect(refused.status == 64 && refused.stderr.hasPrefix("xj: error: --task takes `regression`"))
            // τ and standardised targets apply to regression only, and say so by name.
            let onClasses = try BuiltBinary.xj(["train", "--data", "as-classes", "--model", "mlp", "tau=1", "epochs=1"], in: folder)
            #expect(onClasses.status == 1 && onClasses.stderr.contains("parameter `tau`: applies to regression"))
            let train = try BuiltBinary.xj(["train", "--data", "wine", "--model", "mlp", "hidden=8", "epochs=3", "dropout=0.05", "input_dropout=0.05",
                                            "tau=2.5", "prior_lengthscale=0.01", "target_normalize=standard", "test_fraction=0.1", "val_fraction=0",
                                            "mc_samples=20", "--json"], in: folder)
            #expect(train.status == 0, "\(train.stderr)")
            let record = try Self.json(train.stdout)
            let metrics = try #require(record["metrics"] as? [String: Double])
            for key in ["test_rmse", "test_rmse_mc", "test_ll", "test_ll_mc"] { #expect(metrics[key] != nil, "\(key) in \(metrics.keys.sorted())") }
            #expect(!metrics.keys.contains { $0.hasPrefix("val_") })
            let curves = try #require(record["curves"] as? [String: Any])
            #expect(curves["val_loss"] == nil && curves["train_loss"] != nil)
        }
    }

    /// One data set, two splits, the reduced grid, few epochs: hypothesis, verdict, report and table;
    /// the same numbers in a second folder; nothing trained again when re-run in the first.
    @Test func theStudyRunsEndToEndAndIsDeterministic() throws {
        try withScratchDirectory { folder in
            let script = Self.root + "/scripts/studies/mc-dropout-uci"
            let arguments = [script, "--datasets", "yacht", "--splits", "2", "--grid", "reduced", "--epochs", "15", "--mc-samples", "30", "--jobs", "2", "--json"]
            let environment = ["XJ_BIN": BuiltBinary.xjPath]
            let first = try BuiltBinary.run("/usr/bin/env", ["python3"] + arguments + ["--journal", folder + "/a"], in: folder, environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            let table = try Self.json(first.stdout)
            let yacht = try #require((table["datasets"] as? [String: Any])?["yacht"] as? [String: Any])
            for column in ["rmse", "rmse_mc", "ll", "ll_mc"] {
                let cell = try #require(yacht[column] as? [String: Any])
                #expect(cell["n"] as? Int == 2 && (cell["mean"] as? Double)?.isFinite == true && cell["se"] is Double, "\(column)")
            }
            let predictions = try #require(table["predictions"] as? [String: String])
            #expect(predictions.count == 5 && predictions.keys.contains { $0.contains("dataset=yacht") })
            #expect(["supported", "falsified", "mixed", "open"].contains(table["verdict"] as? String ?? ""))
            #expect(FileManager.default.fileExists(atPath: folder + "/a/report.html"))
            let log = try BuiltBinary.xj(["log", "-n", "1"], in: folder + "/a")
            #expect(log.stdout.contains("verdict on mc-dropout-ll"))

            let second = try BuiltBinary.run("/usr/bin/env", ["python3"] + arguments + ["--journal", folder + "/b"], in: folder, environment: environment)
            let secondTable = try Self.json(second.stdout)
            #expect(secondTable["datasets"] as? NSDictionary == table["datasets"] as? NSDictionary, "a second run gives the same table")

            let runs = try BuiltBinary.xj(["runs", "--all", "--json"], in: folder + "/a").stdout
            let again = try BuiltBinary.run("/usr/bin/env", ["python3"] + arguments + ["--journal", folder + "/a"], in: folder, environment: environment)
            let againTable = try Self.json(again.stdout)
            #expect(again.status == 0 && againTable["datasets"] as? NSDictionary == table["datasets"] as? NSDictionary)
            #expect(try BuiltBinary.xj(["runs", "--all", "--json"], in: folder + "/a").stdout == runs, "re-running trains nothing new")
        }
    }
}
