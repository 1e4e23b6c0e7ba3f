import Foundation

/// Summaries of one sample.
public enum Descriptive {
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The sample variance with n − 1 in the denominator (NaN below two values).
    public static func variance(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        let m = mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    public static func standardDeviation(_ values: [Double]) -> Double { variance(values).squareRoot() }

    /// The middle value, or the mean of the two middle values.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let half = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
    }

    /// The mean after cutting ⌊proportion · n⌋ values from each end of the sorted sample (scipy's `trim_mean`).
    public static func trimmedMean(_ values: [Double], proportion: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let cut = Int(proportion * Double(sorted.count))
        guard cut * 2 < sorted.count else { return .nan }
        return mean(Array(sorted[cut..<(sorted.count - cut)]))
    }

    /// The interquartile mean: the 25 % trimmed mean (Agarwal et al. 2021), robust to a few bad seeds
    /// and, unlike the median, still using half of the runs.
    public static func interquartileMean(_ values: [Double]) -> Double { trimmedMean(values, proportion: 0.25) }
}
