import Foundation
import Testing
import XJTestSupport

/// A diverging run is a result: recorded with status `diverged`, never a crash and never NaN in JSON (issue 12 §2).
@Suite struct DivergenceCLITests {
    /// A regression target in the hundreds of thousands with unscaled features: plain SGD at lr=1 explodes.
    static func unscaledRegression() -> String {
        var lines = ["a,b,y"]
        for row in 0..<200 {
            let a = Double(row % 97), b = Double((row * 37) % 1000)
            lines.append("\(a),\(b),\(a * 300 + b * 50 + Double(row % 13) * 80)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [
        ["--model", "linear", "lr=1", "normalize=none"],
        ["--model", "mlp", "optimizer=sgd", "lr=0.1", "epochs=5"],
    ])
    func divergedRunIsRecordedNotCrashed(_ arguments: [String]) throws {
        try withScratchDirectory { folder in
            try writeFile(folder, "unscaled.csv", Self.unscaledRegression())
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["add", "unscaled.csv", "--name", "unscaled", "--label", "y"], in: folder)
            let train = try BuiltBinary.xj(["train", "--data", "unscaled"] + arguments + ["--json"], in: folder)
            #expect(train.status == 0, "\(train.stderr)")
            #expect(train.stderr.hasPrefix("xj: diverged in epoch ") && train.stderr.split(separator: "\n").count == 1)
            // Strict JSON: a NaN or Infinity literal would not parse.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
            let run = try #require(object["run"] as? [String: Any])
            #expect(run["status"] as? String == "diverged")
            #expect((run["diverged_epoch"] as? Double ?? 0) >= 1)
            let metrics = try #require(object["metrics"] as? [String: Any])
            for (key, value) in metrics { #expect((value as? Double)?.isFinite == true, "metric \(key)") }
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.contains { $0["code"] as? String == "K502" && $0["status"] as? String == "fail" })
            #expect(try BuiltBinary.xj(["commit", "-m", "a diverged run"], in: folder).status == 0)
            #expect(try BuiltBinary.git(["--git-dir", ".journal", "fsck", "--strict"], in: folder).status == 0)
        }
    }

    @Test func learningRateBeyondFloat32IsRefusedByName() throws {
        try withScratchDirectory { folder in
            try writeFile(folder, "unscaled.csv", Self.unscaledRegression())
            _ = try BuiltBinary.xj(["init"], in: folder)
            _ = try BuiltBinary.xj(["add", "unscaled.csv", "--name", "unscaled", "--label", "y"], in: folder)
            _ = try BuiltBinary.xj(["commit", "-m", "data"], in: folder)
            let before = try snapshot(of: folder + "/.journal")
            let train = try BuiltBinary.xj(["train", "--data", "unscaled", "--model", "linear", "lr=1e300"], in: folder)
            #expect(train.status != 0)
            #expect(train.stderr == "xj: error: train: parameter `lr`: must fit in float32 (magnitude at most 3.4e38), got 1e+300\n" ||
                    train.stderr.hasPrefix("xj: error:") && train.stderr.contains("`lr`") && train.stderr.contains("float32"))
            #expect(try snapshot(of: folder + "/.journal") == before)
        }
    }
}
