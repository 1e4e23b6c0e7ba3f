import Foundation

/// One parameter's range: numbers between two bounds (on a log scale if asked, whole numbers if
/// asked), or a list of categories.
public enum SearchDimension: Hashable, Sendable {
    case number(low: Double, high: Double, logarithmic: Bool, whole: Bool)
    case categories([String])

    /// The bounds in the space the estimator works in: log for a logarithmic range, ±½ around whole
    /// numbers so that each one has the same width.
    var internalBounds: (low: Double, high: Double)? {
        guard case let .number(low, high, logarithmic, whole) = self else { return nil }
        let (a, b) = whole ? (low - 0.5, high + 0.5) : (low, high)
        return logarithmic ? (log(max(a, low * 0.5)), log(b)) : (a, b)
    }

    /// From the estimator's space back to a value of the range (rounded for whole numbers, clamped).
    func external(_ value: Double) -> Double {
        guard case let .number(low, high, logarithmic, whole) = self else { return value }
        var x = logarithmic ? exp(value) : value
        if whole { x = x.rounded() }
        return min(max(x, low), high)
    }

    /// A value of the range into the estimator's space.
    func `internal`(_ value: Double) -> Double {
        guard case let .number(_, _, logarithmic, _) = self else { return value }
        return logarithmic ? log(value) : value
    }
}
