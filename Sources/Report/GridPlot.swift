import Foundation
import Journal

/// A metric over a sweep: a heat map of its mean over two parameters, or its mean ± standard
/// deviation (over seeds and anything else not shown) along one parameter.
public enum GridPlot {
    /// Parameters that only pick a random stream: averaged over rather than drawn as separate lines.
    static let replicateParameters: Set<String> = ["seed", "split_seed"]

    /// - Parameter datasetNames: names for dataset trees; experiments on different datasets are drawn
    ///   in separate panels (a heat map or a set of lines each), never averaged together.
    public static func figure(_ experiments: [ExperimentRecord], parameters: [String], metric: String,
                              datasetNames: [TreeID: String] = [:]) throws -> (figure: SVGFigure, data: JSONValue) {
        try figure(ExperimentColumns(records: experiments), rows: Array(experiments.indices), parameters: parameters, metric: metric,
                   datasetNames: datasetNames)
    }

    /// The figure of these rows of the columns; means are summed in the rows' order.
    public static func figure(_ columns: ExperimentColumns, rows: [Int], parameters: [String], metric: String,
                              datasetNames: [TreeID: String] = [:]) throws -> (figure: SVGFigure, data: JSONValue) {
        guard !rows.isEmpty else { throw PlotError.noExperiments("to plot") }
        guard (1...2).contains(parameters.count) else { throw PlotError.tooManyParameters(parameters.count) }
        let varying = ExperimentLabels.varyingParameters(columns, rows: rows)
        for parameter in parameters where !(columns.parameter(parameter).map { column in rows.contains { column[$0] >= 0 } } ?? false) {
            throw PlotError.unknownParameter(parameter, varying: varying)
        }
        let chosen = parameters.map { columns.parameter($0)! }
        let values: [Double] = columns.metric(metric) ?? []
        let measured: [Int] = values.isEmpty ? [] : rows.filter { row in !values[row].isNaN && chosen.allSatisfy { $0[row] >= 0 } }
        guard !measured.isEmpty else {
            throw PlotError.unknownMetric(metric, available: columns.recordedMetricNames.sorted())
        }
        var panels: [SVGFigure.Panel] = []
        var legend: [(label: String, color: String, dashed: Bool)] = []
        var parts: [JSONValue] = []
        for (dataset, members) in DatasetGroups.split(measured, of: columns, names: datasetNames) {
            let (others, groups) = grouped(columns, members, apartFrom: parameters, varying: varying)
            let (panel, entries, data): (SVGFigure.Panel, [(label: String, color: String, dashed: Bool)], JSONValue)
            if parameters.count == 2 {
                // The heat map shows the largest group: the sweep over the two parameters.
                let largest = groups.max { (a: (key: String, value: [Int]), b: (key: String, value: [Int])) -> Bool in
                    a.value.count < b.value.count || (a.value.count == b.value.count && a.key > b.key)
                }!
                (panel, entries, data) = heat(columns, largest.value, parameters, metric, values, dataset: dataset)
            } else {
                // Lines along the parameter: groups with at least two of its values (single runs are not lines).
                let codes = ParameterCodes(columns, parameters[0], rows: members)
                let lines = groups.filter { Set($0.value.map { codes.code(ofRow: $0)! }).count >= 2 }
                var kept = Set<Int>()
                for group in (lines.isEmpty ? groups : lines).values { kept.formUnion(group) }
                // The members of the kept groups in the order given, so means add up in one order.
                let keptRows = members.filter(kept.contains)
                let labelled = ExperimentLabels.varyingParameters(columns, rows: keptRows).filter(others.contains)
                (panel, entries, data) = line(columns, keptRows, parameters[0], metric, values, labelBy: labelled, dataset: dataset, known: legend)
            }
            panels.append(panel)
            for entry in entries where !legend.contains(where: { $0.label == entry.label }) { legend.append(entry) }
            parts.append(data)
        }
        var figure = SVGFigure(panels: panels, legend: legend)
        figure.panelWidth = 560
        figure.panelHeight = 360
        if parts.count == 1, var only = parts[0].objectValue {
            only["dataset"] = nil
            return (figure, .object(only))
        }
        return (figure, ["kind": "panels", "panels": .array(parts)])
    }

    /// Experiments that differ in something else than the plotted parameters and the seeds (a
    /// baseline, another sweep) are grouped apart, so a cell or a point never mixes them. Each group's
    /// rows keep their order.
    static func grouped(_ columns: ExperimentColumns, _ rows: [Int], apartFrom parameters: [String], varying: [String]) -> (others: [String], groups: [String: [Int]]) {
        let others = varying.filter { !parameters.contains($0) && !replicateParameters.contains($0) }
        let codes = others.map { ParameterCodes(columns, $0, rows: rows) }
        var groups: [String: [Int]] = [:]
        for row in rows { groups[groupKey(columns, row, codes), default: []].append(row) }
        return (others, groups)
    }

    /// A row's group key: its dataset and the text of every other parameter ("-" where unset).
    static func groupKey(_ columns: ExperimentColumns, _ row: Int, _ codes: [ParameterCodes]) -> String {
        // The dataset is part of the key: a cell or a point never mixes datasets.
        let dataset = columns.dataset(ofRow: row).map { "@" + $0.hex + " " } ?? ""
        return dataset + codes.map { "\($0.name)=\($0.text(ofRow: row) ?? "-")" }.joined(separator: " ")
    }

    /// The one or two parameters that best show a sweep: the pair whose largest group (everything
    /// else fixed, seeds aside) covers the most distinct value pairs, or a single parameter when no
    /// pair has at least two values of each. Empty when nothing was swept.
    /// - Parameter among: only these parameters (a hypothesis's selectors), when given.
    public static func sweptParameters(_ experiments: [ExperimentRecord], metric: String, among: Set<String>? = nil) -> [String] {
        sweptParameters(ExperimentColumns(records: experiments), rows: Array(experiments.indices), metric: metric, among: among)
    }

    public static func sweptParameters(_ columns: ExperimentColumns, rows: [Int], metric: String, among: Set<String>? = nil) -> [String] {
        if let among, among.isEmpty { return [] }
        guard let values = columns.metric(metric) else { return [] }
        let measured = rows.filter { !values[$0].isNaN }
        let varying = ExperimentLabels.varyingParameters(columns, rows: measured)
        let candidates = varying.filter { key in
            !replicateParameters.contains(key) && (among?.contains(key) ?? true)
        }
        // Every parameter's values are coded once as small integers: by their text for the group key
        // (as `grouped` writes it, "-" when missing) and by value for counting distinct values.
        // Formatting 100,000 experiments' values again for each pair of parameters took a minute.
        // Replicate parameters (seeds) are never chosen nor part of a group key: they are not coded.
        guard !candidates.isEmpty else { return [] }
        let coded = varying.filter { !replicateParameters.contains($0) }
        var textCodes: [[Int]] = [], valueCodes: [[Int]] = []
        for key in coded {
            let codes = ParameterCodes(columns, key, rows: measured)
            let valueCodesOfKey = measured.map { codes.code(ofRow: $0) ?? -1 }
            valueCodes.append(valueCodesOfKey)
            textCodes.append(valueCodesOfKey.map { $0 < 0 ? codes.missingTextCode : codes.textCodes[$0] })
        }
        var datasets: [Int32: Int] = [:]
        let datasetCodes = measured.map { row -> Int in
            let dataset = columns.datasetOfRow[row]
            if let code = datasets[dataset] { return code }
            datasets[dataset] = datasets.count
            return datasets.count - 1
        }
        var best: (parameters: [String], cells: Int) = ([], 1)
        for (index, first) in candidates.enumerated() {
            for second in [nil] + candidates[(index + 1)...].map(Optional.some) {
                let chosen = [first] + (second.map { [$0] } ?? [])
                let chosenColumns = chosen.map { coded.firstIndex(of: $0)! }
                let otherColumns = coded.indices.filter { !chosen.contains(coded[$0]) }
                // The groups `grouped` makes of the experiments that have the chosen parameters.
                var groups: [[Int]: [Int]] = [:]
                for row in measured.indices where chosenColumns.allSatisfy({ valueCodes[$0][row] >= 0 }) {
                    groups[[datasetCodes[row]] + otherColumns.map { textCodes[$0][row] }, default: []].append(row)
                }
                for rows in groups.values {
                    let distinct = chosenColumns.map { column in Set(rows.map { valueCodes[column][$0] }).count }
                    guard distinct.allSatisfy({ $0 >= 2 }) else { continue }
                    let cells = distinct.reduce(1, *)
                    if cells > best.cells || (cells == best.cells && chosen.count < best.parameters.count) { best = (chosen, cells) }
                }
            }
        }
        return best.parameters
    }

    static func statistics(_ values: [Double]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.count > 1 ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
        return (mean, variance.squareRoot())
    }

    /// Parameter values in order: numbers ascending, then anything else by text.
    static func ordered(_ values: Set<JSONValue>) -> [JSONValue] {
        values.sorted { a, b in
            switch (a.numberValue, b.numberValue) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.displayText < b.displayText
            }
        }
    }

    static func heat(_ columns: ExperimentColumns, _ rows: [Int], _ parameters: [String], _ metric: String, _ metricValues: [Double],
                     dataset: String?) -> (SVGFigure.Panel, [(label: String, color: String, dashed: Bool)], JSONValue) {
        let x = ParameterCodes(columns, parameters[0], rows: rows), y = ParameterCodes(columns, parameters[1], rows: rows)
        let xs = ordered(Set(x.values)), ys = ordered(Set(y.values))
        let xPosition = x.values.map { xs.firstIndex(of: $0)! }, yPosition = y.values.map { ys.firstIndex(of: $0)! }
        // Each cell's values in the rows' order.
        var groups = [[Double]](repeating: [], count: xs.count * ys.count)
        for row in rows { groups[yPosition[y.code(ofRow: row)!] * xs.count + xPosition[x.code(ofRow: row)!]].append(metricValues[row]) }
        var cells: [JSONValue] = []
        let values: [[Double?]] = ys.indices.map { yIndex in
            xs.indices.map { xIndex -> Double? in
                let group = groups[yIndex * xs.count + xIndex]
                guard !group.isEmpty else { return nil }
                let (mean, std) = statistics(group)
                cells.append(.object([parameters[0]: xs[xIndex], parameters[1]: ys[yIndex], "mean": .number(mean), "std": .number(std), "n": .number(Double(group.count))]))
                return mean
            }
        }
        let map = HeatMap(title: "mean \(metric)" + (dataset.map { " — \($0)" } ?? ""), xLabel: parameters[0], yLabel: parameters[1], metric: metric,
                          xValues: xs.map(\.displayText), yValues: ys.map(\.displayText), values: values)
        let data: JSONValue = ["kind": "heatmap", "metric": .string(metric), "x": .string(parameters[0]), "y": .string(parameters[1]),
                               "dataset": dataset.map(JSONValue.string) ?? .null, "cells": .array(cells)]
        return (.heat(map), [], data)
    }

    static func line(_ columns: ExperimentColumns, _ rows: [Int], _ parameter: String, _ metric: String, _ metricValues: [Double], labelBy others: [String],
                     dataset: String?, known: [(label: String, color: String, dashed: Bool)]) -> (SVGFigure.Panel, [(label: String, color: String, dashed: Bool)], JSONValue) {
        // One line per combination of the other parameters that differ (seeds are averaged over);
        // a parameter a line's experiments do not have is left out of its label.
        let labelCodes = others.map { ParameterCodes(columns, $0, rows: rows) }
        let x = ParameterCodes(columns, parameter, rows: rows)
        let xs = ordered(Set(x.values))
        let xPosition = x.values.map { xs.firstIndex(of: $0)! }
        // Each line's values at each x, in the rows' order.
        var groups: [String: [[Double]]] = [:]
        for row in rows {
            let label = labelCodes.compactMap { codes in codes.text(ofRow: row).map { "\(codes.name)=\($0)" } }.joined(separator: " ")
            groups[label, default: [[Double]](repeating: [], count: xs.count)][xPosition[x.code(ofRow: row)!]].append(metricValues[row])
        }
        let numeric = xs.allSatisfy { $0.numberValue != nil }
        let logarithmic = numeric && AxisScale.looksLogarithmic(xs.compactMap(\.numberValue))
        var series: [ChartSeries] = []
        var lines: [JSONValue] = []
        var legend: [(label: String, color: String, dashed: Bool)] = []
        for key in groups.keys.sorted() {
            var points: [ChartSeries.Point] = []
            var json: [JSONValue] = []
            for (position, x) in xs.enumerated() {
                let values = groups[key]![position]
                guard !values.isEmpty else { continue }
                let (mean, std) = statistics(values)
                points.append(ChartSeries.Point(x: numeric ? x.numberValue! : Double(position + 1), y: mean, error: values.count > 1 ? std : nil))
                json.append(.object([parameter: x, "mean": .number(mean), "std": .number(std), "n": .number(Double(values.count))]))
            }
            let label = key.isEmpty ? metric : key
            // The same label keeps its colour in every dataset's panel.
            let color = (known + legend).first { $0.label == label }?.color ?? Palette.series(known.count + legend.count)
            series.append(ChartSeries(label: label, color: color, points: points, markers: true))
            if !legend.contains(where: { $0.label == label }) { legend.append((label: label, color: color, dashed: false)) }
            lines.append(["label": .string(label), "points": .array(json)])
        }
        var chart = LineChart(title: "\(metric) (mean ± sd over seeds)" + (dataset.map { " — \($0)" } ?? ""), xLabel: parameter, yLabel: metric, series: series)
        chart.logarithmicX = logarithmic
        // A categorical parameter (optimizer, activation) gets its values as the axis's labels.
        if !numeric { chart.xCategories = xs.map(\.displayText) }
        let data: JSONValue = ["kind": "errorbars", "metric": .string(metric), "x": .string(parameter), "log_x": .bool(logarithmic),
                               "dataset": dataset.map(JSONValue.string) ?? .null, "lines": .array(lines)]
        return (.line(chart), legend, data)
    }
}
