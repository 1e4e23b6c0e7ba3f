import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import JournalStore
@testable import Report

/// SVG plots: axes, ticks, series and heat-map cells as a reader of the file would find them.
@Suite struct PlotTests {
    func experiment(_ index: Int, params: [String: JSONValue], valLoss: Double, epochs: Int = 5, accuracy: Bool = true) -> ExperimentRecord {
        let id = TreeID(ObjectID(hex: String(repeating: String(format: "%x", index % 16), count: 40))!)
        var curves: [String: JSONValue] = ["epoch": .array((1...epochs).map { .number(Double($0)) }),
                                           "train_loss": .array((1...epochs).map { .number(1 / Double($0)) }),
                                           "val_loss": .array((1...epochs).map { .number(valLoss + 1 / Double($0)) })]
        if accuracy {
            curves["train_accuracy"] = .array((1...epochs).map { .number(1 - 0.5 / Double($0)) })
            curves["val_accuracy"] = .array((1...epochs).map { .number(0.9 - 0.5 / Double($0)) })
        }
        return ExperimentRecord(id: id, runKey: id, datasetID: nil, params: params, metrics: ["val_loss": .number(valLoss)],
                                curves: curves, run: [:], weights: nil)
    }

    @Test func curvesParseWithOneSeriesPerExperimentAndCurveAndLabelledAxes() throws {
        let experiments = [experiment(1, params: ["lr": 0.1, "hidden": 64], valLoss: 0.3),
                           experiment(2, params: ["lr": 0.01, "hidden": 64], valLoss: 0.2),
                           experiment(3, params: ["lr": 0.001, "hidden": 64], valLoss: 0.25)]
        let (figure, data) = try CurvePlot.figure(experiments)
        let svg = try XMLNode.parse(figure.svg)
        #expect(svg.name == "svg")
        let panels = svg.all("g", class: "panel")
        #expect(panels.count == 2, "loss and accuracy")
        for panel in panels { #expect(panel.all("g", class: "series").count == 6, "train and validation for each of 3 experiments") }
        let axisLabels = svg.all("text", class: "axis-label").map(\.allText)
        #expect(axisLabels.filter { $0 == "epoch" }.count == 2 && axisLabels.contains("loss") && axisLabels.contains("accuracy"))
        let legend = svg.all("text", class: "legend-label").map(\.allText)
        #expect(legend.prefix(3) == ["lr=0.1", "lr=0.01", "lr=0.001"], "the legend names the parameter that differs")
        #expect(data["experiments"]?.arrayValue?.count == 3)
    }

    /// Issue 16 §5: a program's own stepped curves each get a panel named after them (never "curves /
    /// value"), and Keras's `loss`/`accuracy` without validation are drawn as training curves.
    @Test func everyRecordedCurveIsDrawnUnderItsOwnName() throws {
        let id = TreeID(ObjectID(hex: String(repeating: "a", count: 40))!)
        let program = ExperimentRecord(id: id, runKey: id, datasetID: nil, params: [:], metrics: [:],
                                       curves: ["step": [1, 2, 3], "reward": [0.1, 0.5, 0.9], "entropy": [2, 1.5, 1]], run: [:], weights: nil)
        let svg = try XMLNode.parse(try CurvePlot.figure([program]).figure.svg)
        #expect(svg.all("g", class: "panel").count == 2)
        let titles = svg.all("text", class: "axis-label").map(\.allText)
        #expect(titles.contains("reward") && titles.contains("entropy") && !titles.contains("value"), "\(titles)")

        let keras = ExperimentRecord(id: id, runKey: id, datasetID: nil, params: [:], metrics: [:],
                                     curves: ["epoch": [1, 2], "loss": [0.9, 0.5], "accuracy": [0.6, 0.8]], run: [:], weights: nil)
        let drawn = try XMLNode.parse(try CurvePlot.figure([keras]).figure.svg)
        #expect(drawn.all("g", class: "panel").count == 2, "loss and accuracy panels")
        #expect(drawn.all("text", class: "legend-label").map(\.allText).contains("solid: validation, dashed: training"))
    }

    @Test func heatMapHasOneCellPerPairAndAColourScale() throws {
        var experiments: [ExperimentRecord] = []
        var index = 0
        for lr in [0.1, 0.01, 0.001] {
            for hidden in [32, 64] {
                for seed in 1...2 {
                    index += 1
                    experiments.append(experiment(index, params: ["lr": .number(lr), "hidden": .number(Double(hidden)), "seed": .number(Double(seed))],
                                                  valLoss: lr * 10 + Double(hidden) / 100 + Double(seed) / 1000))
                }
            }
        }
        let (figure, data) = try GridPlot.figure(experiments, parameters: ["lr", "hidden"], metric: "val_loss")
        let svg = try XMLNode.parse(figure.svg)
        #expect(svg.all("rect", class: "cell").count == 6)
        #expect(svg.all("text", class: "axis-label").map(\.allText) == ["lr", "hidden"])
        let cells = try #require(data["cells"]?.arrayValue)
        #expect(cells.count == 6 && cells.allSatisfy { $0["n"]?.numberValue == 2 }, "each cell averages the two seeds")
        let first = try #require(cells.first { $0["lr"] == .number(0.1) && $0["hidden"] == .number(32) })
        #expect(abs(first["mean"]!.numberValue! - (1 + 0.32 + 0.0015)) < 1e-9)
        #expect(GridPlot.sweptParameters(experiments, metric: "val_loss") == ["hidden", "lr"])
    }

    @Test func oneParameterGivesErrorBarsOnALogAxis() throws {
        var experiments: [ExperimentRecord] = []
        for (index, lr) in [1e-4, 1e-3, 1e-2, 1e-1].enumerated() {
            for seed in 1...3 {
                experiments.append(experiment(index * 3 + seed, params: ["lr": .number(lr), "seed": .number(Double(seed))], valLoss: 0.5 + Double(seed) * 0.01 + lr))
            }
        }
        let (figure, data) = try GridPlot.figure(experiments, parameters: ["lr"], metric: "val_loss")
        let svg = try XMLNode.parse(figure.svg)
        #expect(svg.all("g", class: "series").count == 1)
        #expect(svg.all("line", class: "error-bar").count == 4)
        #expect(svg.all("text", class: "axis-label").map(\.allText).contains("lr (log scale)"))
        #expect(data["log_x"] == .bool(true))
        let points = try #require(data["lines"]?.arrayValue?.first?["points"]?.arrayValue)
        #expect(points.count == 4 && abs(points[0]["std"]!.numberValue! - 0.01) < 1e-9)
    }

    @Test func badRequestsNameWhatIsMissing() {
        let experiments = [experiment(1, params: ["lr": 0.1], valLoss: 0.3), experiment(2, params: ["lr": 0.2], valLoss: 0.2)]
        #expect(throws: PlotError.unknownParameter("hidden", varying: ["lr"])) { try GridPlot.figure(experiments, parameters: ["hidden"], metric: "val_loss") }
        #expect(throws: PlotError.unknownMetric("val_r2", available: ["val_loss"])) { try GridPlot.figure(experiments, parameters: ["lr"], metric: "val_r2") }
    }

    @Test func ticksAreRoundNumbers() {
        let linear = AxisScale(covering: [0.03, 0.97], logarithmic: false, pixels: (0, 100))
        #expect(linear.ticks() == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let log = AxisScale(covering: [1e-4, 0.1], logarithmic: true, pixels: (0, 100))
        #expect(log.ticks() == [1e-4, 1e-3, 1e-2, 1e-1])
        #expect(AxisScale.label(0.0001) == "1e-4" && AxisScale.label(250) == "250" && AxisScale.label(0.35) == "0.35")
        #expect(AxisScale.looksLogarithmic([1e-4, 1e-3, 1e-2]))
        #expect(!AxisScale.looksLogarithmic([10, 20, 30, 40]))
        #expect(Markup.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }

    /// The grid plot's choice of parameters, computed on value codes, is the choice the direct
    /// definition makes (group by the text of every other parameter, count distinct values), on random
    /// sweeps with missing parameters, strings that print like numbers, and two datasets.
    @Test func sweptParametersAgreeWithTheDirectDefinition() {
        func direct(_ experiments: [ExperimentRecord], metric: String) -> [String] {
            let measured = experiments.filter { $0.metrics[metric]?.numberValue != nil }
            let varying = ExperimentLabels.varyingParameters(measured)
            let candidates = varying.filter { !GridPlot.replicateParameters.contains($0) }
            var best: (parameters: [String], cells: Int) = ([], 1)
            for (index, first) in candidates.enumerated() {
                for second in [nil] + candidates[(index + 1)...].map(Optional.some) {
                    let chosen = [first] + (second.map { [$0] } ?? [])
                    // Grouped by dataset and the text of every other parameter but the seeds.
                    let others = varying.filter { !chosen.contains($0) && !GridPlot.replicateParameters.contains($0) }
                    var groups: [String: [ExperimentRecord]] = [:]
                    for experiment in measured where chosen.allSatisfy({ experiment.params[$0] != nil }) {
                        let key = (experiment.datasetID?.hex ?? "") + others.map { "\($0)=\(experiment.params[$0]?.displayText ?? "-")" }.joined(separator: " ")
                        groups[key, default: []].append(experiment)
                    }
                    for group in groups.values {
                        let distinct = chosen.map { key in Set(group.map { $0.params[key]! }).count }
                        guard distinct.allSatisfy({ $0 >= 2 }) else { continue }
                        let cells = distinct.reduce(1, *)
                        if cells > best.cells || (cells == best.cells && chosen.count < best.parameters.count) { best = (chosen, cells) }
                    }
                }
            }
            return best.parameters
        }
        var generator = SystemRandomNumberGenerator()
        let pools: [String: [JSONValue]] = ["lr": [0.1, 0.01, 0.001], "hidden": [16, 64, "64"], "dropout": [0, 0.5],
                                            "optimizer": ["adam", "sgd", "-"], "seed": [1, 2, 3], "note": [.null]]
        let datasets = [TreeID(ObjectID(hex: String(repeating: "a", count: 40))!), TreeID(ObjectID(hex: String(repeating: "b", count: 40))!)]
        for round in 0..<60 {
            let experiments = (0..<Int.random(in: 1...40, using: &generator)).map { index -> ExperimentRecord in
                var params: [String: JSONValue] = [:]
                for (key, pool) in pools where Int.random(in: 0..<5, using: &generator) > 0 { params[key] = pool.randomElement(using: &generator)! }
                let id = TreeID(ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }))
                let metrics: [String: JSONValue] = Int.random(in: 0..<8, using: &generator) == 0 ? [:] : ["val_loss": .number(Double(index))]
                return ExperimentRecord(id: id, runKey: id, datasetID: round % 2 == 0 ? nil : datasets.randomElement(using: &generator),
                                        params: params, metrics: metrics, curves: [:], run: [:], weights: nil)
            }
            #expect(GridPlot.sweptParameters(experiments, metric: "val_loss") == direct(experiments, metric: "val_loss"))
            let keys = Set(experiments.flatMap(\.params.keys))
            let varying = keys.filter { key in Set(experiments.map { $0.params[key] ?? .null }).count > 1 }.sorted(by: CanonicalJSON.precedes)
            #expect(ExperimentLabels.varyingParameters(experiments) == varying)
        }
    }
}

