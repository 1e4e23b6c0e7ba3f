/// Every sanity check xj knows, in report order (the codes of the Kepler project, Docs/Checks.md).
public enum CheckCatalog {
    public struct Entry: Sendable {
        public let code: String
        public let title: String
        public let stage: CheckStage
    }

    public static let entries: [Entry] = [
        Entry(code: "K101", title: "batch size not a power of two", stage: .before),
        Entry(code: "K1010", title: "batch size too small", stage: .before),
        Entry(code: "K1012", title: "batch size too large", stage: .before),
        Entry(code: "K102", title: "data not shuffled", stage: .before),
        Entry(code: "K103", title: "train/validation split not stratified", stage: .before),
        Entry(code: "K104", title: "train and validation normalised separately", stage: .before),
        Entry(code: "K201", title: "weights too small at initialisation", stage: .model),
        Entry(code: "K202", title: "weights outside the unit sphere", stage: .model),
        Entry(code: "K203", title: "uniform weight initialisation", stage: .model),
        Entry(code: "K204", title: "data not compatible with the initialisation", stage: .before),
        Entry(code: "K301", title: "training inputs highly correlated", stage: .before),
        Entry(code: "K302", title: "duplicate training samples", stage: .before),
        Entry(code: "K303", title: "data not normalised", stage: .before),
        Entry(code: "K401", title: "sigmoid activation in a hidden layer", stage: .model),
        Entry(code: "K402", title: "labels coded badly for a tanh output", stage: .before),
        Entry(code: "K403", title: "labels coded badly for the last activation", stage: .before),
        Entry(code: "K501", title: "more parameters than training examples", stage: .before),
        Entry(code: "K502", title: "vanishing or exploding gradients", stage: .during),
        Entry(code: "K503", title: "batch-norm in a bad position", stage: .model),
        Entry(code: "K504", title: "the model started overfitting", stage: .during),
        Entry(code: "K505", title: "noisy weight updates", stage: .during),
    ]

    public static func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }

    /// Findings in catalogue order.
    public static func sorted(_ findings: [CheckFinding]) -> [CheckFinding] {
        let order = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.code, $0) })
        return findings.sorted { order[$0.code]! < order[$1.code]! }
    }
}
