import Journal
import Statistics

/// One group's values as a verdict shows them: n, mean, sd, median and interquartile mean.
public struct GroupSummary: Sendable {
    public let count: Int
    public let mean: Double
    public let standardDeviation: Double
    public let median: Double
    public let interquartileMean: Double

    public init(_ values: [Double]) {
        count = values.count
        mean = Descriptive.mean(values)
        standardDeviation = Descriptive.standardDeviation(values)
        median = Descriptive.median(values)
        interquartileMean = Descriptive.interquartileMean(values)
    }

    public var json: JSONValue {
        func number(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }
        return ["n": .number(Double(count)), "mean": number(mean), "sd": number(standardDeviation),
                "median": number(median), "iqm": number(interquartileMean)]
    }

    /// "mean 0.254 sd 0.0412 IQM 0.251 (n=8)".
    public var text: String {
        func number(_ value: Double) -> String { value.isFinite ? PredictionResult.number(value) : "-" }
        return "mean \(number(mean)) sd \(number(standardDeviation)) IQM \(number(interquartileMean)) (n=\(count))"
    }
}
