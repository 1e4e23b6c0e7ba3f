import CKernels
import Foundation
import Testing
import Training

/// The Adam update in C: the version this CPU runs (eight lanes with AVX where it has AVX2) gives the
/// same bits as the one-lane version and as the formulas written out in Swift, step after step, for
/// lengths that are and are not multiples of eight, with and without weight decay.
@Suite struct AdamKernelTests {
    @Test(arguments: [203_530, 256, 13, 1])
    func theCPUsVersionIsBitForBitTheFormulas(count: Int) {
        var generator = SeededGenerator(seed: 11)
        func values(_ scale: Float) -> [Float] { (0..<count).map { _ in (generator.nextUnitFloat() * 2 - 1) * scale } }
        let start = values(0.1)
        var chosen = (w: start, m: [Float](repeating: 0, count: count), s: [Float](repeating: 0, count: count))
        var portable = chosen, formulas = chosen
        for step in 1...5 {
            // Gradients of every size, zeros and a tiny one among them.
            var gradient = values(step == 3 ? 1e-3 : 2)
            gradient[0] = 0
            if count > 2 { gradient[2] = 1e-30 }
            let decay: Float = step % 2 == 0 ? 1e-4 : 0
            let beta1: Float = 0.9, beta2: Float = 0.999, rate: Float = 0.001, epsilon: Float = 1e-8
            let correction1 = 1 - powf(beta1, Float(step)), correction2 = 1 - powf(beta2, Float(step))
            let constants: [Float] = [decay, beta1, 1 - beta1, beta2, 1 - beta2, rate / correction1, 1 / correction2.squareRoot(), epsilon]
            xj_adam_update(&chosen.w, gradient, &chosen.m, &chosen.s, count, constants)
            xj_adam_update_portable(&portable.w, gradient, &portable.m, &portable.s, count, constants)
            for i in 0..<count {
                let grad = gradient[i] + decay * formulas.w[i]
                formulas.m[i] = beta1 * formulas.m[i] + (1 - beta1) * grad
                formulas.s[i] = beta2 * formulas.s[i] + (1 - beta2) * grad * grad
                formulas.w[i] = formulas.w[i] - (rate / correction1) * formulas.m[i] / (formulas.s[i].squareRoot() * (1 / correction2.squareRoot()) + epsilon)
            }
            let version = String(cString: xj_kernels_version())
            #expect(chosen.w.map(\.bitPattern) == formulas.w.map(\.bitPattern), "weights, step \(step), \(version) version")
            #expect(chosen.m.map(\.bitPattern) == formulas.m.map(\.bitPattern) && chosen.s.map(\.bitPattern) == formulas.s.map(\.bitPattern),
                    "moments, step \(step)")
            #expect(portable.w.map(\.bitPattern) == formulas.w.map(\.bitPattern), "one-lane weights, step \(step)")
        }
        #expect(chosen.w != start, "the weights moved")
    }

    /// The optimizer calls the kernel: one Adam step of `Optimizer` is the formulas' step.
    @Test func theOptimizersAdamStepIsTheKernels() {
        let optimizer = Optimizer(kind: .adam, learningRate: 0.01, momentum: 0)
        var weights: [Float] = (0..<21).map { Float($0) / 10 - 1 }
        let gradient: [Float] = (0..<21).map { Float($0 % 5) - 2 }
        var state = Optimizer.State(count: 21)
        optimizer.update(&weights, gradient: gradient, state: &state, weightDecay: 0.01)
        var expected: [Float] = (0..<21).map { Float($0) / 10 - 1 }
        var m = [Float](repeating: 0, count: 21), s = m
        let constants: [Float] = [0.01, 0.9, 1 - 0.9, 0.999, 1 - 0.999, 0.01 / (1 - 0.9), 1 / (1 - Float(0.999)).squareRoot(), 1e-8]
        xj_adam_update_portable(&expected, gradient, &m, &s, 21, constants)
        #expect(weights.map(\.bitPattern) == expected.map(\.bitPattern))
        // Adam's first step moves each weight by about the rate against its gradient's sign.
        for (index, (after, before)) in zip(weights, (0..<21).map { Float($0) / 10 - 1 }).enumerated() where gradient[index] != 0 {
            #expect(abs(abs(after - before) - 0.01) < 1e-3 && (after < before) == (gradient[index] + 0.01 * before > 0))
        }
    }
}
