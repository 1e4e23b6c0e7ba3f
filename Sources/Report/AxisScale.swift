import Foundation

/// Maps data values onto a pixel range, linearly or logarithmically, with readable ticks.
public struct AxisScale: Sendable {
    public let low: Double
    public let high: Double
    public let logarithmic: Bool
    let pixelLow: Double
    let pixelHigh: Double

    /// - Parameter values: the data to cover (non-finite values ignored; log scales ignore values ≤ 0).
    init(covering values: [Double], logarithmic: Bool, pixels: (Double, Double), padFraction: Double = 0.05) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        var low = usable.min() ?? 0, high = usable.max() ?? 1
        if logarithmic {
            if low == high { low /= 2; high *= 2 }
            low = pow(10, floor(log10(low) * 4) / 4)
            high = pow(10, ceil(log10(high) * 4) / 4)
        } else {
            if low == high { low -= 0.5; high += 0.5 }
            let pad = (high - low) * padFraction
            low -= pad
            high += pad
        }
        self.low = low
        self.high = high
        self.logarithmic = logarithmic
        self.pixelLow = pixels.0
        self.pixelHigh = pixels.1
    }

    func pixel(_ value: Double) -> Double {
        let fraction = logarithmic ? (log10(value) - log10(low)) / (log10(high) - log10(low)) : (value - low) / (high - low)
        return pixelLow + fraction * (pixelHigh - pixelLow)
    }

    /// Tick values: 1-2-5 steps for linear scales (about `count` of them), powers of ten for log scales
    /// (with 2 and 5 between when the range is under two decades).
    func ticks(count: Int = 5) -> [Double] {
        if logarithmic {
            let first = Int(floor(log10(low))), last = Int(ceil(log10(high)))
            let multipliers: [Double] = last - first <= 2 ? [1, 2, 5] : [1]
            var ticks: [Double] = []
            for exponent in first...last {
                for multiplier in multipliers {
                    let value = multiplier * pow(10, Double(exponent))
                    if value >= low * 0.999 && value <= high * 1.001 { ticks.append(value) }
                }
            }
            return ticks
        }
        let rough = (high - low) / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(rough)))
        // The 1-2-5 step closest to the rough step (in ratio), so there are about `count` ticks.
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / rough)) < abs(log($1 / rough)) }!
        var ticks: [Double] = []
        var index = ceil(low / step - 1e-9)
        while index * step <= high + step * 1e-9 {
            let value = index * step
            ticks.append(abs(value) < step * 1e-9 ? 0 : Double(String(format: "%.12g", value))!)
            index += 1
        }
        return ticks
    }

    /// A tick label: short, without float noise (0.001, 1e-4, 250, 0.35).
    static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude)))
            let mantissa = value / pow(10, Double(exponent))
            return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%ge%d", (mantissa * 100).rounded() / 100, exponent)
        }
        return String(format: "%g", (value * 1e6).rounded() / 1e6)
    }

    /// Whether values spaced like a logarithmic sweep (all positive, spanning at least a factor of
    /// ten, and closer to evenly spaced in log than in linear terms).
    public static func looksLogarithmic(_ values: [Double]) -> Bool {
        let distinct = Array(Set(values.filter(\.isFinite))).sorted()
        guard distinct.count >= 3, distinct[0] > 0, distinct.last! / distinct[0] >= 10 else { return false }
        func spread(_ numbers: [Double]) -> Double {
            let gaps = zip(numbers.dropFirst(), numbers).map { $0 - $1 }
            let mean = gaps.reduce(0, +) / Double(gaps.count)
            return (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot() / mean
        }
        return spread(distinct.map(log10)) < spread(distinct)
    }
}
