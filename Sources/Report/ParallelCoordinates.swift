import Foundation

/// A parallel-coordinates panel: one vertical axis per parameter and one for the metric, each
/// experiment a polyline through its values, coloured by the metric (viridis, with a colour bar).
public struct ParallelCoordinates: Sendable {
    /// One axis: numeric (optionally log-scaled) or categorical (its values named at even spacing).
    public struct Axis: Sendable {
        public var name: String
        /// One value per experiment: a number, or for a categorical axis the index of its category.
        public var values: [Double?]
        public var categories: [String]?
        public var logarithmic = false
    }

    public var title: String
    public var axes: [Axis]
    /// The metric per experiment (the last axis and the colour).
    public var metric: [Double]

    public func render(x: Double, y: Double, width: Double, height: Double) -> String {
        let left = x + 50, right = x + width - 70, top = y + 34, bottom = y + height - 40
        let spacing = axes.count > 1 ? (right - left) / Double(axes.count - 1) : 0
        let low = metric.min() ?? 0, high = metric.max() ?? 1
        func fraction(_ value: Double) -> Double { high > low ? (value - low) / (high - low) : 0.5 }
        let scales: [AxisScale] = axes.map { axis in
            if let categories = axis.categories {
                return AxisScale(covering: [-0.5, Double(categories.count) - 0.5], logarithmic: false, pixels: (bottom, top), padFraction: 0)
            }
            return AxisScale(covering: axis.values.compactMap { $0 }, logarithmic: axis.logarithmic, pixels: (bottom, top))
        }
        var svg = "<g class=\"panel parallel\">\n"
        svg += "<text class=\"title\" x=\"\(Markup.coordinate((left + right) / 2))\" y=\"\(Markup.coordinate(y + 16))\" text-anchor=\"middle\" font-weight=\"bold\">\(Markup.escape(title))</text>\n"
        // Lines first, so the axes are drawn over them; the best (lowest fraction drawn last) on top.
        let order = metric.indices.sorted { fraction(metric[$0]) > fraction(metric[$1]) }
        for experiment in order {
            var path = ""
            for (index, axis) in axes.enumerated() {
                guard let value = axis.values[experiment], value.isFinite, !axis.logarithmic || value > 0 else { path = ""; break }
                path += (index == 0 ? "M" : " L") + Markup.coordinate(left + spacing * Double(index)) + " " + Markup.coordinate(scales[index].pixel(value))
            }
            guard !path.isEmpty else { continue }
            svg += "<path class=\"experiment\" d=\"\(path)\" fill=\"none\" stroke=\"\(Palette.sequential(fraction(metric[experiment])))\" stroke-width=\"1.6\" stroke-opacity=\"0.85\"/>\n"
        }
        for (index, axis) in axes.enumerated() {
            let px = Markup.coordinate(left + spacing * Double(index))
            svg += "<g class=\"axis\" data-name=\"\(Markup.escape(axis.name))\">"
            svg += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(Markup.coordinate(top))\" y2=\"\(Markup.coordinate(bottom))\" stroke=\"#555\"/>"
            svg += "<text class=\"axis-label\" x=\"\(px)\" y=\"\(Markup.coordinate(bottom + 22))\" text-anchor=\"middle\">\(Markup.escape(axis.name + (axis.logarithmic ? " (log)" : "")))</text>"
            let ticks: [(Double, String)] = axis.categories.map { names in names.enumerated().map { (Double($0), $1) } }
                ?? scales[index].ticks(count: 4).map { ($0, AxisScale.label($0)) }
            for (tick, label) in ticks {
                let py = Markup.coordinate(scales[index].pixel(tick))
                svg += "<line x1=\"\(px)\" x2=\"\(Markup.coordinate(left + spacing * Double(index) - 4))\" y1=\"\(py)\" y2=\"\(py)\" stroke=\"#555\"/>"
                svg += "<text class=\"tick\" x=\"\(Markup.coordinate(left + spacing * Double(index) - 6))\" y=\"\(py)\" dy=\"0.32em\" text-anchor=\"end\">\(Markup.escape(label))</text>"
            }
            svg += "</g>\n"
        }
        return svg + "</g>\n"
    }
}
