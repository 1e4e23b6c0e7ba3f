/// One line of a chart: points (with an optional error half-width each), a colour, a label for the legend.
public struct ChartSeries: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        /// Half the error bar (a standard deviation), if any.
        public var error: Double?
    }

    public var label: String
    public var color: String
    public var dashed: Bool
    public var points: [Point]
    /// Draws a marker on every point (for short series and error-bar plots).
    public var markers: Bool

    public init(label: String, color: String, dashed: Bool = false, points: [Point], markers: Bool = false) {
        self.label = label
        self.color = color
        self.dashed = dashed
        self.points = points
        self.markers = markers
    }
}
