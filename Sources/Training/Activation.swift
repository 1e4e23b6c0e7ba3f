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
                case .relu: Self.zeroWhereNotPositive(g, a)
                case .tanh: for index in g.indices { g[index] *= 1 - a[index] * a[index] }
                case .sigmoid: for index in g.indices { g[index] *= a[index] * (1 - a[index]) }
                }
            }
        }
    }

    /// g[i] = 0 where a[i] ≤ 0, eight at a time: as a branch per element (what the compiler made of
    /// the plain loop) the CPU guessed wrong on about half of a relu layer's units, a sixth of the
    /// training loop's time outside the matrix products. A NaN in `a` keeps its gradient, as before.
    private static func zeroWhereNotPositive(_ g: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>) {
        guard let gradient = g.baseAddress, let output = a.baseAddress else { return }
        var index = 0
        while index + 8 <= g.count {
            let values = UnsafeRawPointer(gradient + index).loadUnaligned(as: SIMD8<Float>.self)
            let outputs = UnsafeRawPointer(output + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(gradient + index).storeBytes(of: values.replacing(with: 0, where: outputs .<= 0), as: SIMD8<Float>.self)
            index += 8
        }
        while index < g.count {
            if output[index] <= 0 { gradient[index] = 0 }
            index += 1
        }
    }
}
