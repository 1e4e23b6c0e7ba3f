import CKernels
import Foundation

/// The update rule for one parameter array, with its own state.
///
/// sgd: w ← w − η·g. momentum: v ← μv − η·g, w ← w + v. nesterov: v′ ← μv − η·g,
/// w ← w − μv + (1+μ)v′. adam (Kingma and Ba 2015): m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g²,
/// w ← w − η·m̂/(√ŝ + ε) with bias-corrected m̂, ŝ. L2 weight decay adds λ·w to g first.
public struct Optimizer: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case sgd, momentum, nesterov, adam }

    public let kind: Kind
    public let learningRate: Float
    public let momentum: Float
    public static let beta1: Float = 0.9
    public static let beta2: Float = 0.999
    public static let epsilon: Float = 1e-8

    public init(kind: Kind, learningRate: Float, momentum: Float) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Per-array state (velocity, or Adam's moments).
    public struct State: Sendable {
        var first: [Float]
        var second: [Float]
        var steps: Int = 0

        public init(count: Int) {
            first = Array(repeating: 0, count: count)
            second = Array(repeating: 0, count: count)
        }
    }

    /// Updates `weights` from `gradient` (with decay `weightDecay`·w added), advancing `state`.
    public func update(_ weights: inout [Float], gradient: [Float], state: inout State, weightDecay: Float) {
        state.steps += 1
        let rate = learningRate
        let mu = momentum
        let correction1 = 1 - powf(Self.beta1, Float(state.steps))
        let correction2 = 1 - powf(Self.beta2, Float(state.steps))
        let decay = weightDecay
        weights.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { s in
                        // One loop per rule, so each inner loop is branch-free and vectorises.
                        switch kind {
                        case .sgd:
                            for index in w.indices { w[index] -= rate * (g[index] + decay * w[index]) }
                        case .momentum:
                            for index in w.indices {
                                m[index] = mu * m[index] - rate * (g[index] + decay * w[index])
                                w[index] += m[index]
                            }
                        case .nesterov:
                            for index in w.indices {
                                let previous = m[index]
                                m[index] = mu * previous - rate * (g[index] + decay * w[index])
                                w[index] += -mu * previous + (1 + mu) * m[index]
                            }
                        case .adam:
                            // In C: eight lanes with AVX where the CPU has it, where Swift's baseline
                            // x86-64 gets four; the same operations in the same order, so the same bits.
                            let constants: [Float] = [decay, Self.beta1, 1 - Self.beta1, Self.beta2, 1 - Self.beta2,
                                                      rate / correction1, 1 / correction2.squareRoot(), Self.epsilon]
                            xj_adam_update(w.baseAddress!, g.baseAddress!, m.baseAddress!, s.baseAddress!, w.count, constants)
                        }
                    }
                }
            }
        }
    }
}
