import Journal

/// Learning curves of experiments: loss per epoch (and accuracy, R², or a language model's bits per
/// character, when recorded), one colour
/// per experiment, validation solid and training dashed.
public enum CurvePlot {
    /// - Parameter datasetNames: names for dataset trees; experiments on different datasets get panels
    ///   of their own (a loss on one dataset never shares an axis with a loss on another).
    public static func figure(_ experiments: [ExperimentRecord], datasetNames: [TreeID: String] = [:]) throws -> (figure: SVGFigure, data: JSONValue) {
        guard !experiments.isEmpty else { throw PlotError.noExperiments("to plot") }
        let labels = ExperimentLabels.labels(experiments)
        let position = Dictionary(experiments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        func column(_ experiment: ExperimentRecord, _ name: String) -> [Double?] {
            (experiment.curves[name]?.arrayValue ?? []).map(\.numberValue)
        }
        func epochs(_ experiment: ExperimentRecord, count: Int) -> [Double] {
            let recorded = column(experiment, "epoch").compactMap { $0 }
            return recorded.count == count ? recorded : (1...max(count, 1)).map(Double.init)
        }
        // Known pairs share a panel (validation solid, training dashed); Keras's own names (`loss`,
        // `accuracy`, from journals recorded before the callback renamed them) count as training.
        let pairs: [(title: String, train: [String], validation: String)] = [
            ("loss", ["train_loss", "loss"], "val_loss"), ("accuracy", ["train_accuracy", "accuracy"], "val_accuracy"), ("R²", [], "val_r2"),
            ("bits per character", ["train_bpc"], "val_bpc"),
        ]
        var panels: [SVGFigure.Panel] = []
        let groups = DatasetGroups.split(experiments, names: datasetNames)
        for (dataset, members) in groups {
            let suffix = dataset.map { " — \($0)" } ?? ""
            func series(_ index: Int, _ experiment: ExperimentRecord, _ name: String, label: String, dashed: Bool, color: String) -> ChartSeries? {
                let values = column(experiment, name)
                guard !values.isEmpty else { return nil }
                let points = zip(epochs(experiment, count: values.count), values).compactMap { x, y in y.map { ChartSeries.Point(x: x, y: $0) } }
                return ChartSeries(label: label, color: color, dashed: dashed, points: points, markers: points.count <= 3)
            }
            for pair in pairs where members.contains(where: { experiment in ([pair.validation] + pair.train).contains { experiment.curves[$0] != nil } }) {
                var drawn: [ChartSeries] = []
                for experiment in members {
                    let index = position[experiment.id]!
                    if let line = series(index, experiment, pair.validation, label: labels[index], dashed: false, color: Palette.series(index)) { drawn.append(line) }
                    if let train = pair.train.first(where: { experiment.curves[$0] != nil }),
                       let line = series(index, experiment, train, label: labels[index] + " (train)", dashed: true, color: Palette.series(index)) {
                        drawn.append(line)
                    }
                }
                panels.append(.line(LineChart(title: pair.title + suffix, xLabel: "epoch", yLabel: pair.title, series: drawn)))
            }
            // Every other recorded curve (a program's own) in a panel of its own, named after it.
            let known = Set(pairs.flatMap { $0.train + [$0.validation] } + ["epoch", "seconds", "step"])
            let others = Set(members.flatMap(\.curves.keys)).subtracting(known).sorted()
            for name in others.prefix(12) {
                let drawn = members.compactMap { experiment -> ChartSeries? in
                    let index = position[experiment.id]!
                    return series(index, experiment, name, label: labels[index], dashed: false, color: Palette.series(index))
                }
                let stepName = members.contains { $0.curves["epoch"] != nil } ? "epoch" : "step"
                if !drawn.isEmpty { panels.append(.line(LineChart(title: name + suffix, xLabel: stepName, yLabel: name, series: drawn))) }
            }
        }
        guard !panels.isEmpty else { throw PlotError.noExperiments("with recorded curves among \(experiments.map(\.id.short).joined(separator: ", "))") }
        var legend = experiments.indices.map { (label: labels[$0], color: Palette.series($0), dashed: false) }
        if experiments.contains(where: { experiment in ["train_loss", "loss", "train_accuracy", "accuracy", "train_bpc"].contains { experiment.curves[$0] != nil } }) {
            legend.append((label: "solid: validation, dashed: training", color: "#999999", dashed: true))
        }
        let data: JSONValue = ["kind": "curves", "experiments": .array(experiments.indices.map { index in
            ["id": .string(experiments[index].id.hex), "label": .string(labels[index]), "curves": .object(experiments[index].curves)]
        })]
        return (SVGFigure(panels: panels, legend: legend), data)
    }
}
