import Foundation

/// Measurements taken while training, on the first batch of every epoch: each layer's gradient
/// RMS and the size of its weight update relative to its weights (K502, K505).
public struct TrainingMonitor: Sendable {
    /// Per sample, per layer: RMS of the weight gradient.
    public private(set) var gradientRMS: [[Double]] = []
    /// Per sample, per layer: ‖ΔW‖ / ‖W‖.
    public private(set) var updateRatios: [[Double]] = []
    private var before: [[Float]] = []

    public init() {}

    mutating func recordGradients(_ network: Network) {
        gradientRMS.append(network.layers.map { layer in
            let sum = layer.weightGradient.values.reduce(0.0) { $0 + Double($1) * Double($1) }
            return (sum / Double(max(layer.weightGradient.values.count, 1))).squareRoot()
        })
        before = network.layers.map(\.weight.values)
    }

    mutating func recordUpdate(_ network: Network) {
        updateRatios.append(zip(before, network.layers).map { old, layer in
            var change = 0.0, size = 0.0
            for (a, b) in zip(old, layer.weight.values) {
                change += Double(b - a) * Double(b - a)
                size += Double(b) * Double(b)
            }
            return size > 0 ? (change / size).squareRoot() : .infinity
        })
        before = []
    }

    /// K502, K504, K505 from the measurements and the curve.
    public func findings(curve: [EpochMetrics], patience: Int, divergedAt: Int? = nil) -> [CheckFinding] {
        [Self.gradients(gradientRMS, curve: curve, divergedAt: divergedAt), Self.overfitting(curve, patience: patience), Self.updates(updateRatios)]
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// K502: non-finite values, a gradient RMS over 100, or the first layer's gradient RMS against the
    /// last layer's (median over epochs) under 1e-3 (vanishing) or over 1e3 (exploding).
    public static func gradients(_ samples: [[Double]], curve: [EpochMetrics], divergedAt: Int? = nil) -> CheckFinding {
        if let divergedAt {
            return CheckFinding("K502", .failure, "diverged in epoch \(divergedAt): the loss or the weights became infinite or NaN; lower the learning rate or scale the target",
                                values: ["diverged_epoch": Double(divergedAt)])
        }
        let nonFinite = samples.contains { $0.contains { !$0.isFinite } } || curve.contains { !$0.trainLoss.isFinite }
        if nonFinite {
            return CheckFinding("K502", .failure, "gradients exploded: the loss or a gradient became infinite or NaN; lower the learning rate")
        }
        guard !samples.isEmpty else { return CheckFinding("K502", .notApplicable, "no batches were measured") }
        let largest = samples.flatMap { $0 }.max() ?? 0
        var values = ["max_gradient_rms": largest]
        if largest > 100 {
            return CheckFinding("K502", .failure, "gradients exploded: a layer's gradient RMS reached \(SanityChecks.format(largest)) (over 100)", values: values)
        }
        guard samples[0].count >= 2 else {
            return CheckFinding("K502", .pass, "one layer: gradient RMS at most \(SanityChecks.format(largest)), finite throughout", values: values)
        }
        let ratio = median(samples.map { $0.last! > 0 ? $0.first! / $0.last! : ($0.first! > 0 ? .infinity : 1) })
        values["first_to_last_ratio"] = ratio
        if ratio < 1e-3 {
            return CheckFinding("K502", .failure, "gradients vanish: the first layer's gradient is \(SanityChecks.format(ratio))× the last layer's (under 1e-3); use relu or he initialisation", values: values)
        }
        if ratio > 1e3 {
            return CheckFinding("K502", .failure, "gradients explode towards the input: the first layer's gradient is \(SanityChecks.format(ratio))× the last layer's (over 1e3)", values: values)
        }
        return CheckFinding("K502", .pass, "the first layer's gradient is \(SanityChecks.format(ratio))× the last layer's (between 1e-3 and 1e3)", values: values)
    }

    /// K504: after the epoch of lowest validation loss, the validation loss rose for at least three
    /// epochs to more than 2% above its minimum while the training loss kept falling.
    public static func overfitting(_ curve: [EpochMetrics], patience: Int) -> CheckFinding {
        guard curve.count >= 4 else { return CheckFinding("K504", .notApplicable, "\(curve.count) epochs are too few to see a trend") }
        guard !curve.contains(where: { $0.validationLoss.isNaN }) else { return CheckFinding("K504", .notApplicable, "no validation rows (val_fraction=0)") }
        let best = curve.indices.min { curve[$0].validationLoss < curve[$1].validationLoss }!
        let last = curve.count - 1
        let minimum = curve[best].validationLoss, final = curve[last].validationLoss
        let values = ["best_epoch": Double(curve[best].epoch), "val_loss_rise": minimum > 0 ? final / minimum - 1 : 0]
        if last - best >= 3, final > minimum * 1.02, curve[last].trainLoss < curve[best].trainLoss {
            let kept = patience > 0 ? "; early stopping kept the weights of epoch \(curve[best].epoch)" : "; patience=N would stop and keep the best weights"
            return CheckFinding("K504", .warning, "overfitting from epoch \(curve[best].epoch + 1): validation loss rose \(SanityChecks.percent(final / minimum - 1)) above its minimum while training loss fell\(kept)", values: values)
        }
        return CheckFinding("K504", .pass, "validation loss did not rise while training loss fell (lowest at epoch \(curve[best].epoch))", values: values)
    }

    /// K505: the median update-to-weight ratio; about 1e-3 is healthy (Karpathy, CS231n), two orders of
    /// magnitude away either way is noisy (over 1e-1) or stalled (under 1e-5).
    public static func updates(_ samples: [[Double]]) -> CheckFinding {
        let ratios = samples.flatMap { $0 }.filter { !$0.isNaN }
        guard !ratios.isEmpty else { return CheckFinding("K505", .notApplicable, "no updates were measured") }
        let ratio = median(ratios)
        let values = ["median_update_ratio": ratio]
        if ratio > 1e-1 {
            return CheckFinding("K505", .warning, "noisy updates: each step changes the weights by \(SanityChecks.format(ratio)) of their size (median; ~1e-3 is healthy); lower the learning rate", values: values)
        }
        if ratio < 1e-5 {
            return CheckFinding("K505", .warning, "stalled updates: each step changes the weights by \(SanityChecks.format(ratio)) of their size (median; ~1e-3 is healthy); raise the learning rate", values: values)
        }
        return CheckFinding("K505", .pass, "each step changes the weights by \(SanityChecks.format(ratio)) of their size (median; between 1e-5 and 1e-1)", values: values)
    }
}
