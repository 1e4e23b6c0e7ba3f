import Foundation
import Journal

/// `xj plot --parallel p1 p2 … --metric m`: a sweep over more than two parameters as parallel
/// coordinates, one panel per dataset (a metric is never compared across datasets).
public enum ParallelPlot {
    public static func figure(_ experiments: [ExperimentRecord], parameters: [String], metric: String,
                              datasetNames: [TreeID: String] = [:]) throws -> (figure: SVGFigure, data: JSONValue) {
        guard !experiments.isEmpty else { throw PlotError.noExperiments("to plot") }
        let varying = ExperimentLabels.varyingParameters(experiments)
        for parameter in parameters where !experiments.contains(where: { $0.params[parameter] != nil }) {
            throw PlotError.unknownParameter(parameter, varying: varying)
        }
        let measured = experiments.filter { experiment in
            parameters.allSatisfy { experiment.params[$0] != nil } && experiment.metrics[metric]?.numberValue.map(\.isFinite) == true
        }
        guard !measured.isEmpty else {
            throw PlotError.unknownMetric(metric, available: Set(experiments.flatMap(\.metrics.keys)).sorted())
        }
        var panels: [SVGFigure.Panel] = []
        var groups: [JSONValue] = []
        for (dataset, members) in DatasetGroups.split(measured, names: datasetNames) {
            var axes: [ParallelCoordinates.Axis] = []
            for parameter in parameters {
                let values = members.map { $0.params[parameter]! }
                let numbers = values.map(Self.number)
                if numbers.allSatisfy({ $0 != nil }) {
                    let doubles = numbers.map { $0! }
                    axes.append(.init(name: parameter, values: doubles, categories: nil, logarithmic: AxisScale.looksLogarithmic(doubles)))
                } else {
                    let categories = GridPlot.ordered(Set(values)).map(\.displayText)
                    axes.append(.init(name: parameter, values: values.map { value in categories.firstIndex(of: value.displayText).map(Double.init) }, categories: categories))
                }
            }
            let scores = members.map { $0.metrics[metric]!.numberValue! }
            axes.append(.init(name: metric, values: scores, categories: nil))
            let title = "\(metric) over \(parameters.joined(separator: ", "))" + (dataset.map { " — \($0)" } ?? "")
            panels.append(.parallel(ParallelCoordinates(title: title, axes: axes, metric: scores)))
            groups.append(.object(["dataset": dataset.map(JSONValue.string) ?? .null, "experiments": .array(members.map { experiment in
                .object(["id": .string(experiment.id.hex), "params": .object(Dictionary(uniqueKeysWithValues: parameters.map { ($0, experiment.params[$0]!) })),
                         metric: experiment.metrics[metric]!])
            })]))
        }
        var figure = SVGFigure(panels: panels, legend: [(label: "colour: \(metric), dark = low, yellow = high", color: Palette.sequential(0.5), dashed: false)])
        figure.panelWidth = max(560, Double(parameters.count + 1) * 130)
        figure.panelHeight = 360
        figure.columnsPerRow = 1
        return (figure, ["kind": "parallel", "metric": .string(metric), "parameters": .array(parameters.map(JSONValue.string)), "groups": .array(groups)])
    }

    /// A number for a numeric axis: a number, or a one-item list of one (hidden=[64]).
    static func number(_ value: JSONValue) -> Double? {
        if let number = value.numberValue { return number }
        if let items = value.arrayValue, items.count == 1 { return items[0].numberValue }
        return nil
    }
}
