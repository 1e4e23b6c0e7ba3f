import Foundation
import Journal
import Training

/// The points of a sweep: every combination of listed values (a grid), or `random` points drawn
/// from ranges and lists with a seeded generator (random search).
public struct GridPlan: Sendable {
    /// The most points one sweep may have: a grid is counted before any point is made, so asking for
    /// a billion costs nothing but the error line.
    public static let maximumPoints = 100_000

    public let axes: [String: GridAxis]

    /// Parses `key=spec` arguments (see `GridAxis.parse`).
    public init(assignments: [String]) throws {
        var axes: [String: GridAxis] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw LabError.invalidParameter(key: assignment, message: "expected key=values")
            }
            let key = String(assignment[..<equals])
            guard axes[key] == nil else { throw LabError.invalidParameter(key: key, message: "given more than once") }
            axes[key] = try GridAxis.parse(String(assignment[assignment.index(after: equals)...]), key: key)
        }
        self.axes = axes
    }

    /// Keys with more than one value, which tell the points apart, sorted.
    public var varyingKeys: [String] {
        axes.keys.sorted().filter { key in
            if case let .values(values) = axes[key]!, values.count < 2 { return false }
            return true
        }
    }

    /// The points, in a fixed order: keys sorted, values in the order given (the last key varies fastest).
    /// - Parameters:
    ///   - random: draw this many points instead of the full grid.
    ///   - seed: the random search's seed.
    public func points(random: Int? = nil, seed: UInt64 = 0) throws -> [[String: JSONValue]] {
        let keys = axes.keys.sorted()
        if let random, random > Self.maximumPoints {
            throw LabError.invalidParameter(key: "--random", message: "\(random) points were asked for; a sweep has at most \(Self.maximumPoints)")
        }
        if random == nil {
            var count = 1.0
            for key in keys { if case let .values(values) = axes[key]! { count *= Double(values.count) } }
            if count > Double(Self.maximumPoints) {
                let sizes = keys.compactMap { key -> String? in if case let .values(values) = axes[key]! { return "\(key) \(values.count)" } else { return nil } }
                let shown = count < 1e15 ? String(Int(count)) : String(format: "%.3g", count)
                throw LabError.invalidParameter(key: keys.joined(separator: ", "),
                                                message: "the grid has \(shown) points (\(sizes.joined(separator: " × "))); a sweep has at most \(Self.maximumPoints)")
            }
        }
        if let random {
            var generator = SeededGenerator(seed: seed)
            return (0..<random).map { _ in
                Dictionary(uniqueKeysWithValues: keys.map { key -> (String, JSONValue) in
                    switch axes[key]! {
                    case let .values(values):
                        return (key, values[generator.nextIndex(below: values.count)])
                    case let .range(low, high, logarithmic, whole):
                        let unit = generator.nextUnitDouble()
                        var value = logarithmic ? exp(log(low) + unit * (log(high) - log(low))) : low + unit * (high - low)
                        if whole { value = value.rounded() }
                        return (key, .number(value))
                    }
                })
            }
        }
        var points: [[String: JSONValue]] = [[:]]
        for key in keys {
            guard case let .values(values) = axes[key]! else {
                throw LabError.invalidParameter(key: key, message: "a range (lo:hi) needs --random N; a grid takes lists a,b,c or lo..hi")
            }
            points = points.flatMap { point in values.map { value in point.merging([key: value]) { _, new in new } } }
        }
        return points
    }
}
