import Foundation
import Testing
import XJTestSupport

/// The pip-installable Python client (issue 16 §5): installed with pip, a scikit-learn grid recorded
/// through `xj run` and read back as a pandas DataFrame, one experiment with numpy weights, and a
/// Keras model (Keras 3 on PyTorch) whose callback's curves are stored and drawn.
@Suite struct PythonClientTests {
    /// The package installed by pip into a folder of its own, which becomes PYTHONPATH. pip builds
    /// from a copy, so the build leaves nothing in the repository's `python/` folder.
    static func installed(_ python: String, into folder: String) throws -> String {
        let target = folder + "/site", source = folder + "/python-source"
        try FileManager.default.copyItem(atPath: RunCLITests.root + "/python", toPath: source)
        let pip = try BuiltBinary.run(python, ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", target, source],
                                      in: folder)
        #expect(pip.status == 0, "pip install ./python: \(pip.stderr)")
        #expect(FileManager.default.fileExists(atPath: target + "/xj/journal.py"))
        return target
    }

    @Test func aScikitLearnGridReadsBackAsADataFrame() throws {
        let python = try RunCLITests.sklearnPython()
        try withScratchDirectory { folder in
            let site = try Self.installed(python, into: folder)
            let work = folder + "/study"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            _ = try BuiltBinary.xj(["init"], in: work)
            try FileManager.default.copyItem(atPath: Fixtures.digitsPath, toPath: work + "/digits.csv")
            let script = RunCLITests.root + "/python/examples/digits_logistic.py"
            let grid = ["0.01", "0.03", "0.1", "0.3", "1", "3"]
            for c in grid {
                let run = try BuiltBinary.xj(["run", "--param", "C=\(c)", "--input", "digits.csv", "--", python, script, "digits.csv"],
                                             in: work, environment: ["PYTHONPATH": site])
                #expect(run.status == 0, "C=\(c): \(run.stderr)")
            }
            _ = try BuiltBinary.xj(["commit", "-m", "logistic regression over C"], in: work)

            let program = """
            import json, sys
            import xj
            journal = xj.Journal()
            table = journal.runs(where="C > 0.1")
            rows = journal.runs(where="C > 0.1", dataframe=False)
            best = journal.experiment(table.sort_values("val_accuracy").index[-1])
            print(json.dumps({
                "type": type(table).__name__, "shape": list(table.shape), "index": list(table.index),
                "C": sorted(table["C"].tolist()), "accuracy": [float(v) for v in table["val_accuracy"]],
                "max_iter": sorted(set(int(v) for v in table["max_iter"])), "solver": sorted(set(table["solver"])),
                "status": sorted(set(table["status"])), "rows": len(rows), "row_ids": sorted(r["experiment"] for r in rows),
                "best_params": best["params"], "best_metrics": best["metrics"], "weights": best["weights"],
                "all": len(journal.runs()),
            }))
            try:
                journal.runs(where="C >")
            except xj.XJError as error:
                print("refused:", error)
            """
            let result = try BuiltBinary.run(python, ["-c", program], in: work, environment: ["PYTHONPATH": site, "XJ_BIN": BuiltBinary.xjPath])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect(object["type"] as? String == "DataFrame")
            let shape = try #require(object["shape"] as? [Int])
            #expect(shape[0] == 3, "C = 0.3, 1, 3: \(shape)")
            #expect(object["C"] as? [Double] == [0.3, 1, 3])
            #expect((object["accuracy"] as? [Double] ?? []).allSatisfy { $0 > 0.9 && $0 <= 1 })
            #expect(object["max_iter"] as? [Int] == [200] && object["solver"] as? [String] == ["lbfgs"],
                    "log_sklearn's parameters are the experiment's parameters")
            #expect(object["status"] as? [String] == ["ok"] && object["all"] as? Int == 6)
            #expect(object["rows"] as? Int == 3 && (object["index"] as? [String])?.sorted() == object["row_ids"] as? [String])
            #expect(((object["best_params"] as? [String: Any])?["C"] as? Double).map { [0.3, 1, 3].contains($0) } == true)
            #expect(((object["best_metrics"] as? [String: Any])?["val_accuracy"] as? Double ?? 0) > 0.9)
            #expect(object["weights"] is NSNull, "a program's experiment has no trained weights of xj's")
            #expect(lines.count == 2 && lines[1].hasPrefix("refused: xj: error: --where \"C >\""), "\(result.stdout)")

            // The table in the terminal shows the reported parameters too, and the run key ignored them.
            let text = try BuiltBinary.xj(["runs", "--where", "solver = lbfgs", "--columns", "experiment,C,max_iter"], in: work).stdout
            #expect(text.split(separator: "\n").count == 7, "\(text)")
        }
    }

    @Test func aKerasModelsCurvesAreRecordedAndDrawn() throws {
        let python = try RunCLITests.sklearnPython()
        let keras = try BuiltBinary.run(python, ["-c", "import keras, torch"], in: "/tmp", environment: ["KERAS_BACKEND": "torch"])
        #expect(keras.status == 0, "Keras 3 and torch (CPU) are installed by scripts/install-test-tools: \(keras.stderr)")
        guard keras.status == 0 else { return }
        try withScratchDirectory { folder in
            let site = try Self.installed(python, into: folder)
            _ = try BuiltBinary.xj(["init"], in: folder)
            try FileManager.default.copyItem(atPath: Fixtures.digitsPath, toPath: folder + "/digits.csv")
            let run = try BuiltBinary.xj(["run", "--param", "epochs=2", "--input", "digits.csv", "--json", "--",
                                          python, RunCLITests.root + "/python/examples/digits_keras.py", "digits.csv"],
                                         in: folder, environment: ["PYTHONPATH": site, "KERAS_BACKEND": "torch"])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            let show = try #require(try JSONSerialization.jsonObject(with: Data(try BuiltBinary.xj(["show", id, "--json"], in: folder).stdout.utf8)) as? [String: Any])
            let curves = try #require(show["curves"] as? [String: [Any]])
            for name in ["epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy"] {
                #expect(curves[name]?.count == 2, "\(name): \(curves.keys.sorted())")
            }
            #expect(((show["reported_params"] as? [String: Any])?["optimizer"] as? String) == "adam")

            let plot = try BuiltBinary.xj(["plot", String(id.prefix(8))], in: folder)
            #expect(plot.status == 0, "\(plot.stderr)")
            let svg = try XMLNode.parse(plot.stdout)
            #expect(svg.all("g", class: "series").count == 4, "loss and accuracy panels, each validation and training")
            #expect(plot.stdout.contains(">loss<") && plot.stdout.contains(">accuracy<") && !plot.stdout.contains(">value<"))
        }
    }
}
