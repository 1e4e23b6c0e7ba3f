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
                            let stepSize = rate / correction1
                            let inverseRoot = 1 / correction2.squareRoot()
                            let beta1 = Self.beta1, beta2 = Self.beta2, epsilon = Self.epsilon
                            // Eight lanes at a time: the same IEEE operations as the scalar tail, so
                            // results do not depend on where a lane boundary falls.
                            let lanes = 8
                            let whole = w.count / lanes * lanes
                            var index = 0
                            let wBase = UnsafeMutableRawPointer(w.baseAddress!), gBase = UnsafeRawPointer(g.baseAddress!)
                            let mBase = UnsafeMutableRawPointer(m.baseAddress!), sBase = UnsafeMutableRawPointer(s.baseAddress!)
                            while index < whole {
                                let offset = index * 4
                                let weight = wBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                                let grad = gBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + decay * weight
                                let first = beta1 * mBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + (1 - beta1) * grad
                                let second = beta2 * sBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + (1 - beta2) * grad * grad
                                mBase.storeBytes(of: first, toByteOffset: offset, as: SIMD8<Float>.self)
                                sBase.storeBytes(of: second, toByteOffset: offset, as: SIMD8<Float>.self)
                                let updated = weight - stepSize * first / (second.squareRoot() * inverseRoot + epsilon)
                                wBase.storeBytes(of: updated, toByteOffset: offset, as: SIMD8<Float>.self)
                                index += lanes
                            }
                            while index < w.count {
                                let grad = g[index] + decay * w[index]
                                m[index] = beta1 * m[index] + (1 - beta1) * grad
                                s[index] = beta2 * s[index] + (1 - beta2) * grad * grad
                                w[index] -= stepSize * m[index] / (s[index].squareRoot() * inverseRoot + epsilon)
                                index += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
