import Foundation

/// The loss at the network's output, applied to the raw outputs (logits).
public enum Loss: String, Sendable {
    /// Softmax over k ≥ 2 outputs, then −log p(true class).
    case crossEntropy = "cross_entropy"
    /// One output, sigmoid, then −[y log p + (1−y) log(1−p)], computed stably from the logit.
    case binaryCrossEntropy = "binary_cross_entropy"
    /// One output, (ŷ − y)².
    case meanSquaredError = "mse"

    /// The mean loss over the batch, and ∂(mean loss)/∂logits written into `gradient`.
    /// - Parameters:
    ///   - logits: [batch, outputs].
    ///   - targets: class indices (as Float) for the classification losses, values for mse.
    public func evaluate(_ logits: Matrix, targets: ArraySlice<Float>, gradient: inout Matrix) -> Double {
        let batch = logits.rows
        let columns = logits.columns
        let scale = 1 / Float(batch)
        var total = 0.0
        logits.values.withUnsafeBufferPointer { z in
            gradient.values.withUnsafeMutableBufferPointer { g in
                for row in 0..<batch {
                    let target = targets[targets.startIndex + row]
                    let base = row * columns
                    switch self {
                    case .crossEntropy:
                        var maximum = -Float.infinity
                        for column in 0..<columns { maximum = Swift.max(maximum, z[base + column]) }
                        var sum: Float = 0
                        for column in 0..<columns {
                            let e = exp(z[base + column] - maximum)
                            g[base + column] = e
                            sum += e
                        }
                        let label = Int(target)
                        total += Double(log(sum) - (z[base + label] - maximum))
                        for column in 0..<columns {
                            g[base + column] = (g[base + column] / sum - (column == label ? 1 : 0)) * scale
                        }
                    case .binaryCrossEntropy:
                        let logit = z[base]
                        total += Double(Swift.max(logit, 0) - logit * target + log1p(exp(-abs(logit))))
                        g[base] = (1 / (1 + exp(-logit)) - target) * scale
                    case .meanSquaredError:
                        let difference = z[base] - target
                        total += Double(difference * difference)
                        g[base] = 2 * difference * scale
                    }
                }
            }
        }
        return total / Double(batch)
    }
}
