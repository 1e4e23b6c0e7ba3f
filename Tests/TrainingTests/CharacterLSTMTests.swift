import CKernels
import Foundation
import Testing
@testable import Training

/// The LSTM language model's forward pass against a hand-computed step and a Float64 reference, its
/// gradients against central finite differences of that reference (with carried state and fixed
/// dropout masks of both modes), and state carry across batches.
@Suite struct CharacterLSTMTests {
    /// The same model in Float64, written plainly: loss = mean cross-entropy over the N positions.
    struct Reference {
        var tensors: [[Double]]
        let vocabulary: Int, hidden: Int, layers: Int

        init(_ model: CharacterLSTM) {
            tensors = model.tensors.map { $0.map(Double.init) }
            vocabulary = model.vocabulary
            hidden = model.hidden
            layers = model.layers
        }

        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

        func loss(tokens: [Int32], targets: [Int32], batch: Int, state: CharacterLSTM.State, masks: CharacterLSTM.Masks) -> Double {
            let n = tokens.count, steps = n / batch, h4 = 4 * hidden
            func mask(_ values: [Float]?, row: Int, unit: Int, width: Int) -> Double {
                guard let values else { return 1 }
                return Double(values[(masks.shared ? row % batch : row) * width + unit])
            }
            // Per row: the input vector of the current layer; first the embedding rows, through their mask.
            var below: [[Double]] = (0..<n).map { row in
                let token = Int(tokens[row])
                var scale = 1.0
                if let e = masks.embedding { scale = Double(masks.shared ? e[(row % batch) * vocabulary + token] : e[row]) }
                return (0..<hidden).map { tensors[0][token * hidden + $0] * scale }
            }
            for layer in 0..<layers {
                let wx = tensors[1 + 3 * layer], wh = tensors[2 + 3 * layer], bias = tensors[3 + 3 * layer]
                var h = (0..<batch).map { b in (0..<hidden).map { Double(state.h[layer][b * hidden + $0]) } }
                var c = (0..<batch).map { b in (0..<hidden).map { Double(state.c[layer][b * hidden + $0]) } }
                var outputs = [[Double]](repeating: [], count: n)
                for step in 0..<steps {
                    var nextH = h, nextC = c
                    for b in 0..<batch {
                        let row = step * batch + b
                        var z = bias
                        for k in 0..<hidden { for unit in 0..<h4 { z[unit] += below[row][k] * wx[k * h4 + unit] } }
                        for k in 0..<hidden {
                            let hin = h[b][k] * (masks.recurrent[layer].map { Double($0[b * hidden + k]) } ?? 1)
                            for unit in 0..<h4 { z[unit] += hin * wh[k * h4 + unit] }
                        }
                        var out = [Double](repeating: 0, count: hidden)
                        for unit in 0..<hidden {
                            let i = sigmoid(z[unit]), f = sigmoid(z[hidden + unit]), g = tanh(z[2 * hidden + unit]), o = sigmoid(z[3 * hidden + unit])
                            nextC[b][unit] = f * c[b][unit] + i * g
                            nextH[b][unit] = o * tanh(nextC[b][unit])
                            out[unit] = nextH[b][unit] * mask(masks.outputs[layer], row: row, unit: unit, width: hidden)
                        }
                        outputs[row] = out
                    }
                    h = nextH
                    c = nextC
                }
                below = outputs
            }
            let wo = tensors[1 + 3 * layers], bo = tensors[2 + 3 * layers]
            var total = 0.0
            for row in 0..<n {
                var logits = bo
                for k in 0..<hidden { for unit in 0..<vocabulary { logits[unit] += below[row][k] * wo[k * vocabulary + unit] } }
                let maximum = logits.max()!
                let sum = logits.reduce(0) { $0 + exp($1 - maximum) }
                total -= logits[Int(targets[row])] - maximum - log(sum)
            }
            return total / Double(n)
        }
    }

    static func model(vocabulary: Int = 5, hidden: Int = 3, layers: Int = 2, seed: UInt64 = 7) -> CharacterLSTM {
        var generator = SeededGenerator(seed: seed)
        var model = CharacterLSTM(vocabulary: vocabulary, hidden: hidden, layers: layers, scale: 0.5, generator: &generator)
        // Non-zero biases everywhere, so every bias gradient is exercised.
        model.biases = model.biases.map { $0.map { $0 + (generator.nextUnitFloat() - 0.5) * 0.4 } }
        model.outputBias = model.outputBias.map { _ in (generator.nextUnitFloat() - 0.5) * 0.4 }
        return model
    }

    static func masks(shared: Bool, layers: Int, batch: Int, steps: Int, vocabulary: Int, hidden: Int, seed: UInt64) -> CharacterLSTM.Masks {
        var generator = SeededGenerator(seed: seed)
        func draw(_ count: Int, p: Float) -> [Float] { (0..<count).map { _ in generator.nextUnitFloat() < p ? 0 : 1 / (1 - p) } }
        let rows = shared ? batch : batch * steps
        return CharacterLSTM.Masks(embedding: shared ? draw(batch * vocabulary, p: 0.3) : draw(batch * steps, p: 0.3),
                                   outputs: (0..<layers).map { _ in draw(rows * hidden, p: 0.3) },
                                   recurrent: (0..<layers).map { _ in shared ? draw(batch * hidden, p: 0.3) : nil }, shared: shared)
    }

    @Test(arguments: ["none", "naive", "variational"])
    func gradientsMatchFiniteDifferencesOfTheFloat64Reference(_ mode: String) throws {
        let (batch, steps, vocabulary, hidden, layers) = (2, 3, 5, 3, 2)
        let model = Self.model(vocabulary: vocabulary, hidden: hidden, layers: layers)
        var generator = SeededGenerator(seed: 3)
        let tokens = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: vocabulary)) }
        let targets = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: vocabulary)) }
        // A carried state, as after an earlier batch.
        var state = CharacterLSTM.State(layers: layers, batch: batch, hidden: hidden)
        state.h = state.h.map { $0.map { _ in (generator.nextUnitFloat() - 0.5) } }
        state.c = state.c.map { $0.map { _ in (generator.nextUnitFloat() - 0.5) * 2 } }
        let masks = mode == "none" ? .none(layers: layers)
            : Self.masks(shared: mode == "variational", layers: layers, batch: batch, steps: steps, vocabulary: vocabulary, hidden: hidden, seed: 11)
        var moved = state
        let (loss, tape) = model.forward(tokens: tokens, targets: targets, batch: batch, state: &moved, masks: masks)
        let gradients = model.backward(tape, targets: targets, batch: batch, masks: masks)
        let reference = Reference(model)
        #expect(abs(loss / Double(batch * steps) - reference.loss(tokens: tokens, targets: targets, batch: batch, state: state, masks: masks)) < 1e-5)
        let step = 1e-6
        for (tensor, values) in reference.tensors.enumerated() {
            for index in values.indices {
                var plus = reference, minus = reference
                plus.tensors[tensor][index] += step
                minus.tensors[tensor][index] -= step
                let numeric = (plus.loss(tokens: tokens, targets: targets, batch: batch, state: state, masks: masks)
                               - minus.loss(tokens: tokens, targets: targets, batch: batch, state: state, masks: masks)) / (2 * step)
                let exact = Double(gradients[tensor][index])
                let error = abs(numeric - exact) / max(abs(numeric) + abs(exact), 1e-4)
                #expect(error < 1e-3, "\(mode): tensor \(tensor) index \(index): numeric \(numeric), analytic \(exact)")
            }
        }
    }

    @Test func oneStepMatchesAHandComputedCell() {
        // One layer, one unit, vocabulary 2, one stream, one step, every weight set by hand (token 0's
        // embedding is 1, so its input weights are the gates' input contributions).
        var generator = SeededGenerator(seed: 1)
        var model = CharacterLSTM(vocabulary: 2, hidden: 1, layers: 1, scale: 0.1, generator: &generator)
        model.embedding = [1.0, 0.5]
        model.inputWeights[0] = [0.5, -0.25, 0.75, 1.0]
        model.recurrentWeights[0] = [0.3, 0.2, -0.1, 0.05]
        model.biases[0] = [0.0, 1.0, 0.0, 0.0]
        model.outputWeights = [2.0, -1.0]
        model.outputBias = [0.1, -0.1]
        var state = CharacterLSTM.State(layers: 1, batch: 1, hidden: 1)
        state.h = [[0.5]]
        state.c = [[-0.2]]
        let (loss, _) = model.forward(tokens: [0], targets: [1], batch: 1, state: &state, masks: .none(layers: 1))
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        let i = sigmoid(0.5 + 0.5 * 0.3), f = sigmoid(-0.25 + 1.0 + 0.5 * 0.2), g = tanh(0.75 - 0.5 * 0.1), o = sigmoid(1.0 + 0.5 * 0.05)
        let c = f * -0.2 + i * g, h = o * tanh(c)
        let logits = [0.1 + 2.0 * h, -0.1 - 1.0 * h]
        let expected = -(logits[1] - log(exp(logits[0]) + exp(logits[1])))
        #expect(abs(loss - expected) < 1e-6)
        #expect(abs(Double(state.c[0][0]) - c) < 1e-6 && abs(Double(state.h[0][0]) - h) < 1e-6)
    }

    @Test func stateCarriedAcrossBatchesEqualsOneLongBatch() {
        let model = Self.model(vocabulary: 7, hidden: 4, layers: 2, seed: 5)
        var generator = SeededGenerator(seed: 9)
        let (batch, steps) = (3, 6)
        let tokens = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: 7)) }
        let targets = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: 7)) }
        var whole = CharacterLSTM.State(layers: 2, batch: batch, hidden: 4)
        let (longLoss, _) = model.forward(tokens: tokens, targets: targets, batch: batch, state: &whole, masks: .none(layers: 2))
        var carried = CharacterLSTM.State(layers: 2, batch: batch, hidden: 4)
        let half = batch * steps / 2
        let (first, _) = model.forward(tokens: Array(tokens[..<half]), targets: Array(targets[..<half]), batch: batch, state: &carried, masks: .none(layers: 2))
        let (second, _) = model.forward(tokens: Array(tokens[half...]), targets: Array(targets[half...]), batch: batch, state: &carried, masks: .none(layers: 2))
        #expect(abs(first + second - longLoss) < 1e-4 * longLoss)
        for layer in 0..<2 {
            for index in 0..<(batch * 4) {
                #expect(abs(carried.h[layer][index] - whole.h[layer][index]) < 1e-5)
                #expect(abs(carried.c[layer][index] - whole.c[layer][index]) < 1e-5)
            }
        }
    }

    /// One batch's loss, gradients and final state through two versions of one model (`configure`
    /// sets each), on the same random tokens, targets and shared masks; expects them to agree.
    static func expectSameBatch(vocabulary: Int, hidden: Int, batch: Int, steps: Int, seed: UInt64,
                                _ configure: (inout CharacterLSTM, Bool) -> Void) {
        var model = Self.model(vocabulary: vocabulary, hidden: hidden, layers: 2, seed: seed)
        var generator = SeededGenerator(seed: seed + 1)
        let tokens = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: vocabulary)) }
        let targets = (0..<(batch * steps)).map { _ in Int32(generator.nextIndex(below: vocabulary)) }
        let masks = Self.masks(shared: true, layers: 2, batch: batch, steps: steps, vocabulary: vocabulary, hidden: hidden, seed: seed + 2)
        func run(_ version: Bool) -> (Double, [[Float]], CharacterLSTM.State) {
            configure(&model, version)
            var state = CharacterLSTM.State(layers: 2, batch: batch, hidden: hidden)
            let (loss, tape) = model.forward(tokens: tokens, targets: targets, batch: batch, state: &state, masks: masks)
            return (loss, model.backward(tape, targets: targets, batch: batch, masks: masks), state)
        }
        let (oneLoss, oneGradients, oneState) = run(false)
        let (twoLoss, twoGradients, twoState) = run(true)
        #expect(abs(oneLoss - twoLoss) <= 1e-6 * abs(oneLoss))
        for layer in 0..<2 {
            #expect(zip(oneState.h[layer], twoState.h[layer]).allSatisfy { abs($0 - $1) <= 1e-5 })
            #expect(zip(oneState.c[layer], twoState.c[layer]).allSatisfy { abs($0 - $1) <= 1e-5 })
        }
        for (one, two) in zip(oneGradients, twoGradients) {
            for (a, b) in zip(one, two) { #expect(abs(a - b) <= 1e-5 * max(1, abs(a))) }
        }
    }

    /// With two threads the recurrence runs as two groups of streams and the large products as two
    /// blocks, in parallel (and the softmax's 128 rows as two blocks): what one thread gives.
    @Test func streamGroupsInParallelGiveWhatOneGroupGives() {
        Self.expectSameBatch(vocabulary: 11, hidden: 8, batch: 16, steps: 8, seed: 21) { model, two in model.threads = two ? 2 : 1 }
    }

    /// The per-step recurrent products on weights packed once per batch (AVX2) give what BLAS gives,
    /// for a width whose transposed panels are cut short and a group of streams that is not a whole
    /// number of tiles.
    @Test func packedRecurrentProductsGiveWhatBLASGives() {
        Self.expectSameBatch(vocabulary: 9, hidden: 20, batch: 7, steps: 4, seed: 23) { model, packed in
            model.packsRecurrentWeights = packed && xj_packed_gemm_available() != 0
        }
    }
}
