/// A heat map over two parameters: one cell per (x value, y value) with the metric's mean, coloured
/// on a sequential scale, with a colour bar.
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var metric: String
    public var xValues: [String]
    public var yValues: [String]
    /// Cell values, `values[y][x]`; nil where no experiment ran.
    public var values: [[Double?]]

    public init(title: String, xLabel: String, yLabel: String, metric: String, xValues: [String], yValues: [String], values: [[Double?]]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.metric = metric
        self.xValues = xValues
        self.yValues = yValues
        self.values = values
    }

    public func render(x: Double, y: Double, width: Double, height: Double) -> String {
        let left = x + 70, right = x + width - 90, top = y + 28, bottom = y + height - 44
        let known = values.flatMap { $0.compactMap { $0 } }
        let low = known.min() ?? 0, high = known.max() ?? 1
        func fraction(_ value: Double) -> Double { high > low ? (value - low) / (high - low) : 0.5 }
        let cellWidth = (right - left) / Double(max(xValues.count, 1)), cellHeight = (bottom - top) / Double(max(yValues.count, 1))
        var svg = "<g class=\"panel heatmap\">\n"
        svg += Markup.panelText(title: title, xLabel: xLabel, yLabel: yLabel, x: x, y: y, left: left, right: right, top: top, bottom: bottom)
        for (row, yValue) in yValues.enumerated() {
            // The first y value at the bottom, as on a numeric axis.
            let cellTop = bottom - Double(row + 1) * cellHeight
            svg += "<text class=\"tick\" x=\"\(Markup.coordinate(left - 6))\" y=\"\(Markup.coordinate(cellTop + cellHeight / 2))\" dy=\"0.32em\" text-anchor=\"end\">\(Markup.escape(yValue))</text>\n"
            for (column, _) in xValues.enumerated() {
                let cellLeft = left + Double(column) * cellWidth
                guard let value = values[row][column] else {
                    svg += "<rect class=\"cell empty\" x=\"\(Markup.coordinate(cellLeft))\" y=\"\(Markup.coordinate(cellTop))\" width=\"\(Markup.coordinate(cellWidth))\" height=\"\(Markup.coordinate(cellHeight))\" fill=\"#f2f2f2\" stroke=\"#fff\"/>\n"
                    continue
                }
                let f = fraction(value)
                svg += "<rect class=\"cell\" x=\"\(Markup.coordinate(cellLeft))\" y=\"\(Markup.coordinate(cellTop))\" width=\"\(Markup.coordinate(cellWidth))\" height=\"\(Markup.coordinate(cellHeight))\" fill=\"\(Palette.sequential(f))\" stroke=\"#fff\"><title>\(Markup.escape("\(xLabel)=\(xValues[column]) \(yLabel)=\(yValue): \(metric) \(AxisScale.label(value))"))</title></rect>"
                svg += "<text x=\"\(Markup.coordinate(cellLeft + cellWidth / 2))\" y=\"\(Markup.coordinate(cellTop + cellHeight / 2))\" dy=\"0.32em\" text-anchor=\"middle\" fill=\"\(Palette.textOn(f))\">\(String(format: "%.4g", value))</text>\n"
            }
        }
        for (column, xValue) in xValues.enumerated() {
            svg += "<text class=\"tick\" x=\"\(Markup.coordinate(left + (Double(column) + 0.5) * cellWidth))\" y=\"\(Markup.coordinate(bottom + 18))\" text-anchor=\"middle\">\(Markup.escape(xValue))</text>\n"
        }
        // The colour bar, low at the bottom.
        let barLeft = right + 24
        let steps = 20
        for step in 0..<steps {
            let stepHeight = (bottom - top) / Double(steps)
            svg += "<rect x=\"\(Markup.coordinate(barLeft))\" y=\"\(Markup.coordinate(bottom - Double(step + 1) * stepHeight))\" width=\"14\" height=\"\(Markup.coordinate(stepHeight + 0.5))\" fill=\"\(Palette.sequential((Double(step) + 0.5) / Double(steps)))\"/>"
        }
        svg += "\n<text class=\"tick\" x=\"\(Markup.coordinate(barLeft + 18))\" y=\"\(Markup.coordinate(bottom))\">\(String(format: "%.4g", low))</text>"
        svg += "<text class=\"tick\" x=\"\(Markup.coordinate(barLeft + 18))\" y=\"\(Markup.coordinate(top + 8))\">\(String(format: "%.4g", high))</text>"
        svg += "<text class=\"colorbar-label\" x=\"\(Markup.coordinate(barLeft))\" y=\"\(Markup.coordinate(top - 6))\">\(Markup.escape(metric))</text>\n"
        return svg + "</g>\n"
    }
}
