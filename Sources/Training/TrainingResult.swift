/// What a training run produced: the trained network, its learning curve and final metrics.
public struct TrainingResult: Sendable {
    public let network: Network
    public let scaler: FeatureScaler
    /// One entry per epoch run.
    public let curve: [EpochMetrics]
    /// The epoch whose weights were kept (the last, or the best with early stopping), 1-based; 0 when none finished.
    public let bestEpoch: Int
    /// Final metrics by name (`val_loss`, `val_accuracy`, `train_loss`, …).
    public let metrics: [String: Double]
    /// Human-readable lines: one per epoch and a summary.
    public let log: [String]
    /// The during-training checks (K502, K504, K505).
    public let findings: [CheckFinding]
    /// The epoch in which the loss or a weight stopped being finite, if it did; `curve`, `metrics` and
    /// `network` then stop at the last finite epoch (none when the first epoch diverged).
    public let divergedAt: Int?
}
