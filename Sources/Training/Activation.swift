import Foundation

/// Element-wise activations of hidden layers.
public enum Activation: String, CaseIterable, Sendable {
    /// max(0, x)
    case relu
    /// tanh(x)
    case tanh
    /// 1 / (1 + e^(−x))
    case sigmoid

    /// Applies the function in place.
    func apply(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { buffer in
            switch self {
            case .relu: for index in buffer.indices { buffer[index] = Swift.max(buffer[index], 0) }
            case .tanh: for index in buffer.indices { buffer[index] = Foundation.tanh(buffer[index]) }
            case .sigmoid: for index in buffer.indices { buffer[index] = 1 / (1 + exp(-buffer[index])) }
            }
        }
    }

    /// Multiplies `gradient` in place by the derivative, written in terms of the output `a`:
    /// relu′ = [a > 0], tanh′ = 1 − a², sigmoid′ = a(1 − a).
    func backpropagate(_ gradient: inout [Float], output: [Float]) {
        gradient.withUnsafeMutableBufferPointer { g in
            output.withUnsafeBufferPointer { a in
                switch self {
                case .relu: for index in g.indices where a[index] <= 0 { g[index] = 0 }
                case .tanh: for index in g.indices { g[index] *= 1 - a[index] * a[index] }
                case .sigmoid: for index in g.indices { g[index] *= a[index] * (1 - a[index]) }
                }
            }
        }
    }
}
