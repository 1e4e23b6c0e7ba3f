/// A whole SVG document: panels side by side and a legend below them.
public struct SVGFigure: Sendable {
    public enum Panel: Sendable {
        case line(LineChart)
        case heat(HeatMap)
        case parallel(ParallelCoordinates)
    }

    public var panels: [Panel]
    /// Legend entries: label, colour, dashed.
    public var legend: [(label: String, color: String, dashed: Bool)]
    public var panelWidth: Double = 460
    public var panelHeight: Double = 320
    public var columnsPerRow = 2

    public init(panels: [Panel], legend: [(label: String, color: String, dashed: Bool)] = []) {
        self.panels = panels
        self.legend = legend
    }

    public var svg: String {
        // Long labels get a row each, short ones share rows three at a time.
        let legendColumns = legend.contains { $0.label.count > 36 } ? 1 : 3
        let legendRows = (legend.count + legendColumns - 1) / legendColumns
        let width = panelWidth * Double(min(panels.count, columnsPerRow))
        let rows = (panels.count + columnsPerRow - 1) / columnsPerRow
        let height = panelHeight * Double(rows) + Double(legendRows) * 18 + (legend.isEmpty ? 0 : 12)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Markup.coordinate(width))\" height=\"\(Markup.coordinate(height))\" viewBox=\"0 0 \(Markup.coordinate(width)) \(Markup.coordinate(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        for (index, panel) in panels.enumerated() {
            let x = panelWidth * Double(index % columnsPerRow), y = panelHeight * Double(index / columnsPerRow)
            switch panel {
            case let .line(chart): svg += chart.render(x: x, y: y, width: panelWidth, height: panelHeight)
            case let .heat(map): svg += map.render(x: x, y: y, width: panelWidth, height: panelHeight)
            case let .parallel(plot): svg += plot.render(x: x, y: y, width: panelWidth, height: panelHeight)
            }
        }
        if !legend.isEmpty {
            svg += "<g class=\"legend\">\n"
            let columnWidth = width / Double(legendColumns)
            for (index, entry) in legend.enumerated() {
                let x = 12 + columnWidth * Double(index % legendColumns), y = panelHeight * Double(rows) + 12 + 18 * Double(index / legendColumns)
                svg += "<line x1=\"\(Markup.coordinate(x))\" x2=\"\(Markup.coordinate(x + 22))\" y1=\"\(Markup.coordinate(y))\" y2=\"\(Markup.coordinate(y))\" stroke=\"\(entry.color)\" stroke-width=\"2\"\(entry.dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
                svg += "<text class=\"legend-label\" x=\"\(Markup.coordinate(x + 28))\" y=\"\(Markup.coordinate(y))\" dy=\"0.32em\">\(Markup.escape(entry.label))</text>\n"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }
}
