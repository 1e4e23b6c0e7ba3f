/// Escaping for text and attribute values in SVG and HTML.
public enum Markup {
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A number for coordinates: two decimals, no trailing zeros.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.2f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A panel's title centred above it, and its axis labels: x centred below, y rotated on the left.
    static func panelText(title: String, xLabel: String, yLabel: String, x: Double, y: Double, left: Double, right: Double, top: Double, bottom: Double) -> String {
        let centre = coordinate((left + right) / 2), middle = coordinate((top + bottom) / 2), side = coordinate(x + 14)
        return "<text class=\"title\" x=\"\(centre)\" y=\"\(coordinate(y + 16))\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(title))</text>\n" +
            "<text class=\"axis-label\" x=\"\(centre)\" y=\"\(coordinate(bottom + 36))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n" +
            "<text class=\"axis-label\" x=\"\(side)\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 \(side) \(middle))\">\(escape(yLabel))</text>\n"
    }
}
