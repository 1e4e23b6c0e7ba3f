import Journal

/// Learning curves of experiments: loss per epoch (and accuracy, R², or a language model's bits per
/// character, when recorded), one colour
/// per experiment, validation solid and training dashed.
public enum CurvePlot {
    public static func figure(_ experiments: [ExperimentRecord]) throws -> (figure: SVGFigure, data: JSONValue) {
        guard !experiments.isEmpty else { throw PlotError.noExperiments("to plot") }
        let labels = ExperimentLabels.labels(experiments)
        func column(_ experiment: ExperimentRecord, _ name: String) -> [Double?] {
            (experiment.curves[name]?.arrayValue ?? []).map(\.numberValue)
        }
        func epochs(_ experiment: ExperimentRecord, count: Int) -> [Double] {
            let recorded = column(experiment, "epoch").compactMap { $0 }
            return recorded.count == count ? recorded : (1...max(count, 1)).map(Double.init)
        }
        let pairs: [(title: String, train: String, validation: String)] = [
            ("loss", "train_loss", "val_loss"), ("accuracy", "train_accuracy", "val_accuracy"), ("R²", "", "val_r2"),
            ("bits per character", "train_bpc", "val_bpc"),
        ]
        var panels: [SVGFigure.Panel] = []
        for pair in pairs where experiments.contains(where: { $0.curves[pair.validation] != nil }) {
            var series: [ChartSeries] = []
            for (index, experiment) in experiments.enumerated() {
                for (name, dashed) in [(pair.validation, false), (pair.train, true)] where !name.isEmpty {
                    let values = column(experiment, name)
                    guard !values.isEmpty else { continue }
                    let xs = epochs(experiment, count: values.count)
                    let points = zip(xs, values).compactMap { x, y in y.map { ChartSeries.Point(x: x, y: $0) } }
                    series.append(ChartSeries(label: labels[index] + (dashed ? " (train)" : ""), color: Palette.series(index), dashed: dashed,
                                              points: points, markers: points.count <= 3))
                }
            }
            panels.append(.line(LineChart(title: pair.title, xLabel: "epoch", yLabel: pair.title, series: series)))
        }
        if panels.isEmpty {
            // A program's own curves: every recorded column against its step.
            var series: [ChartSeries] = []
            let names = Set(experiments.flatMap(\.curves.keys)).subtracting(["epoch", "seconds", "step"]).sorted()
            for (index, experiment) in experiments.enumerated() {
                for (position, name) in names.enumerated() {
                    let values = column(experiment, name)
                    guard !values.isEmpty else { continue }
                    let points = zip(epochs(experiment, count: values.count), values).compactMap { x, y in y.map { ChartSeries.Point(x: x, y: $0) } }
                    series.append(ChartSeries(label: labels[index] + " " + name, color: Palette.series(index * names.count + position), points: points, markers: points.count <= 3))
                }
            }
            guard !series.isEmpty else { throw PlotError.noExperiments("with recorded curves among \(experiments.map(\.id.short).joined(separator: ", "))") }
            panels.append(.line(LineChart(title: "curves", xLabel: "step", yLabel: "value", series: series)))
        }
        var legend = experiments.indices.map { (label: labels[$0], color: Palette.series($0), dashed: false) }
        if experiments.contains(where: { $0.curves["train_loss"] != nil || $0.curves["train_bpc"] != nil }) {
            legend.append((label: "solid: validation, dashed: training", color: "#999999", dashed: true))
        }
        let data: JSONValue = ["kind": "curves", "experiments": .array(experiments.indices.map { index in
            ["id": .string(experiments[index].id.hex), "label": .string(labels[index]), "curves": .object(experiments[index].curves)]
        })]
        return (SVGFigure(panels: panels, legend: legend), data)
    }
}
