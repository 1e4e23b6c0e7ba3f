/// A line chart in one panel: axes with ticks and labels, series as paths, optional error bars.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var logarithmicX = false
    public var logarithmicY = false
    /// Category names for a categorical x axis: point i (1-based) is drawn at category i, and the
    /// ticks are the names, never numbers.
    public var xCategories: [String]? = nil

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// The panel's SVG elements inside the rectangle (x, y, width, height).
    public func render(x: Double, y: Double, width: Double, height: Double) -> String {
        let left = x + 62, right = x + width - 12, top = y + 28, bottom = y + height - 44
        let points = series.flatMap(\.points)
        let ys = points.flatMap { point in [point.y] + (point.error.map { [point.y - $0, point.y + $0] } ?? []) }
        let xScale = xCategories.map { AxisScale(covering: [0.5, Double($0.count) + 0.5], logarithmic: false, pixels: (left, right), padFraction: 0) }
            ?? AxisScale(covering: points.map(\.x), logarithmic: logarithmicX, pixels: (left, right), padFraction: 0.02)
        let yScale = AxisScale(covering: ys, logarithmic: logarithmicY, pixels: (bottom, top))
        var svg = "<g class=\"panel\">\n"
        svg += Markup.panelText(title: title, xLabel: xLabel + (logarithmicX ? " (log scale)" : ""), yLabel: yLabel, x: x, y: y,
                                left: left, right: right, top: top, bottom: bottom)
        for tick in yScale.ticks() {
            let py = Markup.coordinate(yScale.pixel(tick))
            svg += "<line x1=\"\(Markup.coordinate(left))\" x2=\"\(Markup.coordinate(right))\" y1=\"\(py)\" y2=\"\(py)\" stroke=\"#e4e4e4\"/>"
            svg += "<text class=\"tick\" x=\"\(Markup.coordinate(left - 6))\" y=\"\(py)\" dy=\"0.32em\" text-anchor=\"end\">\(AxisScale.label(tick))</text>\n"
        }
        let xTicks: [(Double, String)] = xCategories.map { names in names.enumerated().map { (Double($0 + 1), $1) } }
            ?? xScale.ticks().map { ($0, AxisScale.label($0)) }
        for (tick, label) in xTicks {
            let px = Markup.coordinate(xScale.pixel(tick))
            svg += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(Markup.coordinate(bottom))\" y2=\"\(Markup.coordinate(bottom + 5))\" stroke=\"#555\"/>"
            svg += "<text class=\"tick\" x=\"\(px)\" y=\"\(Markup.coordinate(bottom + 18))\" text-anchor=\"middle\">\(Markup.escape(label))</text>\n"
        }
        svg += "<rect x=\"\(Markup.coordinate(left))\" y=\"\(Markup.coordinate(top))\" width=\"\(Markup.coordinate(right - left))\" height=\"\(Markup.coordinate(bottom - top))\" fill=\"none\" stroke=\"#555\"/>\n"
        for line in series {
            let drawn = line.points.filter { $0.x.isFinite && $0.y.isFinite && (!logarithmicX || $0.x > 0) && (!logarithmicY || $0.y > 0) }
            svg += "<g class=\"series\" data-label=\"\(Markup.escape(line.label))\">"
            let path = drawn.enumerated().map { index, point in
                (index == 0 ? "M" : "L") + Markup.coordinate(xScale.pixel(point.x)) + " " + Markup.coordinate(yScale.pixel(point.y))
            }.joined(separator: " ")
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.8\"\(line.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
            for point in drawn {
                let px = Markup.coordinate(xScale.pixel(point.x))
                if let error = point.error, error > 0 {
                    svg += "<line class=\"error-bar\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(Markup.coordinate(yScale.pixel(point.y - error)))\" y2=\"\(Markup.coordinate(yScale.pixel(point.y + error)))\" stroke=\"\(line.color)\"/>"
                }
                if line.markers {
                    svg += "<circle cx=\"\(px)\" cy=\"\(Markup.coordinate(yScale.pixel(point.y)))\" r=\"3\" fill=\"\(line.color)\"/>"
                }
            }
            svg += "</g>\n"
        }
        return svg + "</g>\n"
    }
}
