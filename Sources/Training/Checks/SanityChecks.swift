import Foundation

/// The sanity checks K101–K505 (Docs/Checks.md): pure functions of the data, the model and the
/// training curves, each returning one finding with the numbers it was decided from.
public enum SanityChecks {
    /// The before-training and model checks, in catalogue order.
    public static func run(_ data: DataCheckInput, model: ModelDescription) -> [CheckFinding] {
        CheckCatalog.sorted(dataFindings(data, model: model) + modelFindings(model))
    }

    /// Rows used for the statistics that do not need every row (correlation, first-layer signal):
    /// an even stride over the set, so the choice is deterministic.
    static let sampleRows = 5000

    static func sample(_ features: Matrix, rows limit: Int = sampleRows) -> Matrix {
        guard features.rows > limit else { return features }
        let stride = Double(features.rows) / Double(limit)
        return features.gatherRows((0..<limit).map { Int(Double($0) * stride) }[...])
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        if value == 0 || (abs(value) >= 0.001 && abs(value) < 1e6) {
            return String(format: "%.\(digits)g", value)
        }
        return String(format: "%.2e", value)
    }

    /// A percentage with two significant digits, never in exponent form (100%, 12%, 0.5%).
    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        if abs(value) >= 10 { return String(format: "%.0f%%", value) }
        return String(format: "%.2g%%", value)
    }
}
