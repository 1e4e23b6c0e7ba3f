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
        weights.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { s in
                        for index in w.indices {
                            let grad = g[index] + weightDecay * w[index]
                            switch kind {
                            case .sgd:
                                w[index] -= rate * grad
                            case .momentum:
                                m[index] = mu * m[index] - rate * grad
                                w[index] += m[index]
                            case .nesterov:
                                let previous = m[index]
                                m[index] = mu * previous - rate * grad
                                w[index] += -mu * previous + (1 + mu) * m[index]
                            case .adam:
                                m[index] = Self.beta1 * m[index] + (1 - Self.beta1) * grad
                                s[index] = Self.beta2 * s[index] + (1 - Self.beta2) * grad * grad
                                w[index] -= rate * (m[index] / correction1) / ((s[index] / correction2).squareRoot() + Self.epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}

import Foundation
