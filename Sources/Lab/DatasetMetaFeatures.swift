import Foundation
import Journal

/// A dataset described by numbers its manifest already holds, for finding similar datasets
/// (`xj suggest --from-similar`): log rows, log features, the task, log classes, the shares of
/// categorical, constant and missing cells, and the features' mean coefficient of variation.
public struct DatasetMetaFeatures: Sendable {
    public static let names = ["log_rows", "log_features", "classification", "log_classes", "categorical_share",
                               "constant_share", "missing_share", "mean_variation"]
    public let values: [Double]

    public init(_ manifest: DatasetManifest) {
        let features = manifest.columns.filter { $0.name != manifest.label }
        let count = Double(max(features.count, 1))
        let categorical = Double(features.filter { $0.kind == .categorical }.count) / count
        let constant = Double(features.filter { $0.kind == .numeric && ($0.standardDeviation ?? 0) == 0 }.count) / count
        let missing = Double(features.reduce(0) { $0 + $1.missing }) / (count * Double(max(manifest.rows, 1)))
        let variations = features.compactMap { column -> Double? in
            guard let mean = column.mean, let sd = column.standardDeviation, abs(mean) > 1e-12 else { return nil }
            return min(sd / abs(mean), 10)
        }
        values = [log(Double(max(manifest.rows, 1))), log(count), manifest.task == .classification ? 1 : 0,
                  log(Double(max(manifest.classes.count, 1))), categorical, constant, missing,
                  variations.isEmpty ? 0 : variations.reduce(0, +) / Double(variations.count)]
    }

    /// Similarity in (0, 1]: 1/(1 + the Euclidean distance), each meta-feature scaled by its spread
    /// over the datasets compared (so rows and shares weigh alike).
    public static func similarities(of target: DatasetMetaFeatures, to others: [DatasetMetaFeatures]) -> [Double] {
        let all = others + [target]
        let spreads = names.indices.map { index -> Double in
            let column = all.map { $0.values[index] }
            let range = (column.max() ?? 0) - (column.min() ?? 0)
            return range > 0 ? range : 1
        }
        return others.map { other in
            let distance = names.indices.reduce(0.0) { sum, index in
                let d = (other.values[index] - target.values[index]) / spreads[index]
                return sum + d * d
            }.squareRoot()
            return 1 / (1 + distance)
        }
    }
}
