import CKernels
import Foundation

/// A character-level LSTM language model: a character embedding (V × H), a stack of LSTM layers of H
/// units, a softmax over the vocabulary on top (the layout of PyTorch's `nn.Embedding` + `nn.LSTM` +
/// `nn.Linear`). Gate order in every 4H-wide block: input, forget, cell, output.
///
/// Sequence batches are time-major: row `t·B + b` is step `t` of stream `b`. Forward and backward
/// work on raw buffers with BLAS for every product (the input projection of all steps at once, one
/// recurrent product per step, the weight gradients of all steps at once).
public struct CharacterLSTM: Sendable {
    public let vocabulary: Int
    public let hidden: Int
    public let layers: Int
    /// V × H: row c is character c's input vector.
    public var embedding: [Float]
    /// Per layer: H × 4H, row-major.
    public var inputWeights: [[Float]]
    /// Per layer: H × 4H.
    public var recurrentWeights: [[Float]]
    /// Per layer: 4H.
    public var biases: [[Float]]
    /// H × V.
    public var outputWeights: [Float]
    /// V.
    public var outputBias: [Float]
    /// How many threads share each batch's work: every large product is cut into as many blocks and
    /// the recurrence into as many groups of streams. The bits of a result depend on it, so it is
    /// fixed for the process (`BLAS.availableThreads`), never read from OpenBLAS's changing setting.
    public var threads = BLAS.availableThreads
    /// Whether the per-step recurrent products use the recurrent weights packed once per batch
    /// (`xj_packed_gemm`, AVX2+FMA) instead of BLAS, which repacks them at every step.
    public var packsRecurrentWeights = xj_packed_gemm_available() != 0

    /// The embedding with unit variance (uniform in ±√3), as PyTorch's `nn.Embedding`; every other weight
    /// uniform in ±`scale` (Zaremba et al.); biases zero but the forget gate's, 1.
    public init(vocabulary: Int, hidden: Int, layers: Int, scale: Float, generator: inout SeededGenerator) {
        precondition(vocabulary > 0 && hidden > 0 && layers > 0)
        self.vocabulary = vocabulary
        self.hidden = hidden
        self.layers = layers
        func uniform(_ count: Int, _ range: Float) -> [Float] { (0..<count).map { _ in (generator.nextUnitFloat() * 2 - 1) * range } }
        embedding = uniform(vocabulary * hidden, Float(3).squareRoot())
        var inputWeights: [[Float]] = [], recurrentWeights: [[Float]] = [], biases: [[Float]] = []
        for _ in 0..<layers {
            inputWeights.append(uniform(hidden * 4 * hidden, scale))
            recurrentWeights.append(uniform(hidden * 4 * hidden, scale))
            var bias = [Float](repeating: 0, count: 4 * hidden)
            for unit in hidden..<(2 * hidden) { bias[unit] = 1 }
            biases.append(bias)
        }
        self.inputWeights = inputWeights
        self.recurrentWeights = recurrentWeights
        self.biases = biases
        outputWeights = uniform(hidden * vocabulary, scale)
        outputBias = [Float](repeating: 0, count: vocabulary)
    }

    /// Every parameter tensor in a fixed order: the embedding; per layer input, recurrent, bias; then
    /// the output weights and bias.
    public var tensors: [[Float]] {
        var all: [[Float]] = [embedding]
        for layer in 0..<layers { all += [inputWeights[layer], recurrentWeights[layer], biases[layer]] }
        return all + [outputWeights, outputBias]
    }

    /// Replaces the parameters from tensors in `tensors`' order.
    public mutating func setTensors(_ all: [[Float]]) {
        precondition(all.count == 3 * layers + 3)
        embedding = all[0]
        for layer in 0..<layers {
            inputWeights[layer] = all[1 + 3 * layer]
            recurrentWeights[layer] = all[2 + 3 * layer]
            biases[layer] = all[3 + 3 * layer]
        }
        outputWeights = all[1 + 3 * layers]
        outputBias = all[2 + 3 * layers]
    }

    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.count } }

    /// The hidden and cell state of every layer for B streams, carried from one batch to the next
    /// (truncated backpropagation: gradients stop at a batch's first step).
    public struct State: Sendable, Equatable {
        public var h: [[Float]]
        public var c: [[Float]]
        public init(layers: Int, batch: Int, hidden: Int) {
            h = Array(repeating: [Float](repeating: 0, count: batch * hidden), count: layers)
            c = h
        }
    }

    /// Dropout masks for one batch, each entry 0 or 1/(1−p). A `shared` mask has one row per stream,
    /// used at every step (variational); otherwise one row per step and stream (naive).
    public struct Masks: Sendable {
        /// On the embedding (a dropped character contributes a zero input vector): shared, B×V (a
        /// character type dropped for the whole sequence, Gal's embedding dropout); per step, T·B.
        public var embedding: [Float]?
        /// Per layer, on its output (the next layer's input; the top layer's feeds the softmax):
        /// B×H shared or T·B×H per step.
        public var outputs: [[Float]?]
        /// Per layer, on h(t−1) where it enters the recurrence: B×H, shared (variational only).
        public var recurrent: [[Float]?]
        public var shared: Bool

        public static func none(layers: Int) -> Masks {
            Masks(embedding: nil, outputs: Array(repeating: nil, count: layers), recurrent: Array(repeating: nil, count: layers), shared: false)
        }
    }

    /// What the forward pass keeps for the backward pass.
    struct Tape {
        var tokens: [Int32] = []
        /// Per layer: activated gates (N×4H), cells (N×H), tanh of cells, the masked h(t−1) (N×H), outputs (N×H), inputs (N×H).
        var gates: [[Float]] = [], cells: [[Float]] = [], tanhCells: [[Float]] = [], recurrentInputs: [[Float]] = []
        var outputs: [[Float]] = [], inputs: [[Float]] = []
        /// Per layer: the cell state before the first step.
        var initialCells: [[Float]] = []
        /// The top layer's output after dropout (N×H) and the softmax probabilities (N×V).
        var top: [Float] = []
        var probabilities: [Float] = []
    }

    /// Runs a batch: `tokens` and `targets` are time-major (N = steps·batch). Moves `state` on.
    /// - Returns: the summed cross-entropy in nats over the N positions, and the tape.
    func forward(tokens: [Int32], targets: [Int32], batch: Int, state: inout State, masks: Masks) -> (Double, Tape) {
        let n = tokens.count, steps = n / batch, h4 = 4 * hidden
        precondition(n == steps * batch && targets.count == n)
        var tape = Tape()
        tape.tokens = tokens
        // The characters' embedding rows, each scaled by its embedding-dropout mask.
        var layerInput = [Float](repeating: 0, count: n * hidden)
        for row in 0..<n {
            var scale: Float = 1
            if let mask = masks.embedding {
                scale = masks.shared ? mask[(row % batch) * vocabulary + Int(tokens[row])] : mask[row]
            }
            let source = Int(tokens[row]) * hidden
            for unit in 0..<hidden { layerInput[row * hidden + unit] = embedding[source + unit] * scale }
        }
        for layer in 0..<layers {
            var z = [Float](repeating: 0, count: n * h4)
            let bias = biases[layer]
            // The input projection of every step at once.
            Self.fillRows(&z, with: bias, rows: n)
            layerInput.withUnsafeBufferPointer { x in
                inputWeights[layer].withUnsafeBufferPointer { w in
                    z.withUnsafeMutableBufferPointer { zp in
                        BLAS.gemm(parts: threads, m: n, n: h4, k: hidden, x.baseAddress!, lda: hidden, w.baseAddress!, ldb: h4,
                                  into: zp.baseAddress!, ldc: h4, beta: 1)
                    }
                }
            }
            tape.inputs.append(layerInput)
            var cells = [Float](repeating: 0, count: n * hidden), tanhCells = cells, outputs = cells, recurrentInputs = cells
            tape.initialCells.append(state.c[layer])
            let recurrentMask = masks.recurrent[layer]
            let initialH = state.h[layer], initialC = state.c[layer]
            let packed = packsRecurrentWeights ? Self.packed(recurrentWeights[layer], k: hidden, n: h4, ldb: h4, transposed: false) : []
            // The step loop on raw buffers: no bounds or uniqueness checks in the per-unit work.
            z.withUnsafeMutableBufferPointer { zp in
            cells.withUnsafeMutableBufferPointer { cp in
            tanhCells.withUnsafeMutableBufferPointer { tp in
            outputs.withUnsafeMutableBufferPointer { op in
            recurrentInputs.withUnsafeMutableBufferPointer { hp in
            recurrentWeights[layer].withUnsafeBufferPointer { w in
            initialH.withUnsafeBufferPointer { h0 in
            initialC.withUnsafeBufferPointer { c0 in
            packed.withUnsafeBufferPointer { packed in
                let z = zp.baseAddress!, cells = cp.baseAddress!, tanhCells = tp.baseAddress!, outputs = op.baseAddress!, hin = hp.baseAddress!
                let weights = w.baseAddress!, h0 = h0.baseAddress!, c0 = c0.baseAddress!
                let packed = packsRecurrentWeights ? packed.baseAddress : nil
                // Streams are independent within a batch: each group of streams runs its own steps on
                // its own core (BLAS single-threaded meanwhile), instead of BLAS threads meeting at
                // every small per-step product.
                Self.forEachStreamGroup(batch: batch, threads: threads) { first, count in
                    for step in 0..<steps {
                        let rowBase = step * batch + first
                        let previousH = step == 0 ? h0 + first * hidden : UnsafePointer(outputs + (rowBase - batch) * hidden)
                        let previousC = step == 0 ? c0 + first * hidden : UnsafePointer(cells + (rowBase - batch) * hidden)
                        let target = hin + rowBase * hidden
                        if let recurrentMask {
                            for index in 0..<(count * hidden) { target[index] = previousH[index] * recurrentMask[first * hidden + index] }
                        } else {
                            target.update(from: previousH, count: count * hidden)
                        }
                        if let packed {
                            xj_packed_gemm(count, h4, hidden, target, hidden, packed, z + rowBase * h4, h4, 1)
                        } else {
                            BLAS.gemm(m: count, n: h4, k: hidden, UnsafePointer(target), lda: hidden, weights, ldb: h4, into: z + rowBase * h4, ldc: h4, beta: 1)
                        }
                        // The gates, the cell and the output of the group's rows (vectorised in C).
                        xj_lstm_gates(z + rowBase * h4, previousC, cells + rowBase * hidden, tanhCells + rowBase * hidden,
                                      outputs + rowBase * hidden, count, hidden)
                    }
                }
            }}}}}}}}}
            let last = (steps - 1) * batch * hidden
            let previousH = Array(outputs[last..<(last + batch * hidden)])
            let previousC = Array(cells[last..<(last + batch * hidden)])
            state.h[layer] = previousH
            state.c[layer] = previousC
            tape.gates.append(z)
            tape.cells.append(cells)
            tape.tanhCells.append(tanhCells)
            tape.recurrentInputs.append(recurrentInputs)
            tape.outputs.append(outputs)
            layerInput = Self.applying(masks.outputs[layer], to: outputs, width: hidden, batch: batch, shared: masks.shared)
        }
        // Softmax over the vocabulary for every position.
        tape.top = layerInput
        var logits = [Float](repeating: 0, count: n * vocabulary)
        Self.fillRows(&logits, with: outputBias, rows: n)
        tape.top.withUnsafeBufferPointer { x in
            outputWeights.withUnsafeBufferPointer { w in
                logits.withUnsafeMutableBufferPointer { l in
                    BLAS.gemm(parts: threads, m: n, n: vocabulary, k: hidden, x.baseAddress!, lda: hidden, w.baseAddress!, ldb: vocabulary,
                              into: l.baseAddress!, ldc: vocabulary, beta: 1)
                }
            }
        }
        // Each block of rows sums its own losses; the blocks' sums are added in order.
        let size = vocabulary, blocks = max(1, min(threads, n / 64))
        var blockLosses = [Double](repeating: 0, count: blocks)
        logits.withUnsafeMutableBufferPointer { buffer in
            blockLosses.withUnsafeMutableBufferPointer { losses in
                let logits = buffer.baseAddress!, losses = losses.baseAddress!
                Self.forEachBlock(of: n, blocks: blocks) { block, first, count in
                    var loss = 0.0
                    for row in first..<(first + count) {
                        let values = logits + row * size
                        var maximum = -Float.infinity
                        for unit in 0..<size { maximum = max(maximum, values[unit]) }
                        var sum: Float = 0
                        for unit in 0..<size {
                            let e = expf(values[unit] - maximum)
                            values[unit] = e
                            sum += e
                        }
                        let inverse = 1 / sum
                        for unit in 0..<size { values[unit] *= inverse }
                        loss -= Double(logf(max(values[Int(targets[row])], .leastNormalMagnitude)))
                    }
                    losses[block] = loss
                }
            }
        }
        tape.probabilities = logits
        return (blockLosses.reduce(0, +), tape)
    }

    /// Runs `body(block, first, count)` over `blocks` contiguous blocks of `0..<count`, in parallel.
    static func forEachBlock(of count: Int, blocks: Int, _ body: (Int, Int, Int) -> Void) {
        guard blocks > 1 else { body(0, 0, count); return }
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let first = count * block / blocks, end = count * (block + 1) / blocks
            body(block, first, end - first)
        }
    }

    /// Runs `body(first stream, stream count)` over up to `threads` groups of the batch's streams in
    /// parallel, with OpenBLAS at one thread meanwhile: the streams of a batch are independent.
    static func forEachStreamGroup(batch: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let groups = max(1, min(threads, batch / 8))
        BLAS.singleThreaded {
            forEachBlock(of: batch, blocks: groups) { _, first, count in body(first, count) }
        }
    }

    /// `weights` (k×n, or with `transposed` its transpose, leading dimension `ldb`) packed for
    /// `xj_packed_gemm`.
    static func packed(_ weights: [Float], k: Int, n: Int, ldb: Int, transposed: Bool) -> [Float] {
        var packed = [Float](repeating: 0, count: xj_packed_size(k, n))
        weights.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { p in xj_pack_columns(w.baseAddress!, ldb, transposed ? 1 : 0, k, n, p.baseAddress!) }
        }
        return packed
    }

    /// `values` (N×width, time-major) with a dropout mask applied (nil: unchanged).
    static func applying(_ mask: [Float]?, to values: [Float], width: Int, batch: Int, shared: Bool) -> [Float] {
        guard let mask else { return values }
        var result = values
        let n = values.count / width
        result.withUnsafeMutableBufferPointer { r in
            mask.withUnsafeBufferPointer { m in
                for row in 0..<n {
                    let target = r.baseAddress! + row * width, factors = m.baseAddress! + (shared ? row % batch : row) * width
                    for unit in 0..<width { target[unit] *= factors[unit] }
                }
            }
        }
        return result
    }

    /// Every row of `matrix` (rows × row.count) set to `row`.
    static func fillRows(_ matrix: inout [Float], with row: [Float], rows: Int) {
        let width = row.count
        matrix.withUnsafeMutableBufferPointer { m in
            row.withUnsafeBufferPointer { r in
                for index in 0..<rows { (m.baseAddress! + index * width).update(from: r.baseAddress!, count: width) }
            }
        }
    }

    /// The sums of the columns of `matrix` (rows × width).
    static func columnSums(_ matrix: [Float], width: Int) -> [Float] {
        var sums = [Float](repeating: 0, count: width)
        let rows = matrix.count / width
        matrix.withUnsafeBufferPointer { m in
            sums.withUnsafeMutableBufferPointer { s in
                for row in 0..<rows {
                    let values = m.baseAddress! + row * width
                    for unit in 0..<width { s[unit] += values[unit] }
                }
            }
        }
        return sums
    }

    /// The gradients of the mean cross-entropy (the forward's sum over N) with respect to every
    /// parameter, in `tensors`' order.
    func backward(_ tape: Tape, targets: [Int32], batch: Int, masks: Masks) -> [[Float]] {
        let n = targets.count, steps = n / batch, h4 = 4 * hidden
        var gradients: [[Float]] = []
        // Softmax and cross-entropy: (p − onehot) / N.
        var dLogits = tape.probabilities
        let inverseN = 1 / Float(n), size = vocabulary
        dLogits.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<n {
                let values = buffer.baseAddress! + row * size
                values[Int(targets[row])] -= 1
                for unit in 0..<size { values[unit] *= inverseN }
            }
        }
        var dOutputWeights = [Float](repeating: 0, count: hidden * vocabulary)
        let dOutputBias = Self.columnSums(dLogits, width: vocabulary)
        var dTop = [Float](repeating: 0, count: n * hidden)
        tape.top.withUnsafeBufferPointer { x in
            dLogits.withUnsafeBufferPointer { d in
                dOutputWeights.withUnsafeMutableBufferPointer { w in
                    BLAS.gemm(parts: threads, m: hidden, n: vocabulary, k: n, x.baseAddress!, lda: hidden, transposeA: true, d.baseAddress!, ldb: vocabulary,
                              into: w.baseAddress!, ldc: vocabulary)
                }
                outputWeights.withUnsafeBufferPointer { w in
                    dTop.withUnsafeMutableBufferPointer { dx in
                        BLAS.gemm(parts: threads, m: n, n: hidden, k: vocabulary, d.baseAddress!, lda: vocabulary, w.baseAddress!, ldb: vocabulary, transposeB: true,
                                  into: dx.baseAddress!, ldc: hidden)
                    }
                }
            }
        }
        var perLayer: [[[Float]]] = Array(repeating: [], count: layers)
        var dEmbedding = [Float](repeating: 0, count: vocabulary * hidden)
        // dOutputs of the current layer (after undoing its output dropout).
        var dOutputs = Self.applying(masks.outputs[layers - 1], to: dTop, width: hidden, batch: batch, shared: masks.shared)
        for layer in stride(from: layers - 1, through: 0, by: -1) {
            let gates = tape.gates[layer], cells = tape.cells[layer], tanhCells = tape.tanhCells[layer]
            var dZ = [Float](repeating: 0, count: n * h4)
            var dhNext = [Float](repeating: 0, count: batch * hidden)
            var dcNext = [Float](repeating: 0, count: batch * hidden)
            let recurrentMask = masks.recurrent[layer]
            let initialCells = tape.initialCells[layer]
            // dZ(t)·Whᵀ at every step: Whᵀ packed once (op(B) is 4H×H, given as Wh, H×4H).
            let packed = packsRecurrentWeights ? Self.packed(recurrentWeights[layer], k: h4, n: hidden, ldb: h4, transposed: true) : []
            gates.withUnsafeBufferPointer { gp in
            cells.withUnsafeBufferPointer { cp in
            tanhCells.withUnsafeBufferPointer { tp in
            initialCells.withUnsafeBufferPointer { c0 in
            dOutputs.withUnsafeBufferPointer { dop in
            dZ.withUnsafeMutableBufferPointer { dzp in
            dhNext.withUnsafeMutableBufferPointer { dhp in
            dcNext.withUnsafeMutableBufferPointer { dcp in
            recurrentWeights[layer].withUnsafeBufferPointer { w in
            packed.withUnsafeBufferPointer { packed in
                let gates = gp.baseAddress!, cells = cp.baseAddress!, tanhCells = tp.baseAddress!, dOutputs = dop.baseAddress!
                let dZ = dzp.baseAddress!, dhNext = dhp.baseAddress!, dcNext = dcp.baseAddress!, weights = w.baseAddress!, c0 = c0.baseAddress!
                let packed = packsRecurrentWeights ? packed.baseAddress : nil
                Self.forEachStreamGroup(batch: batch, threads: threads) { first, count in
                    for step in stride(from: steps - 1, through: 0, by: -1) {
                        let rowBase = step * batch + first
                        let previousCells = step == 0 ? c0 + first * hidden : cells + (rowBase - batch) * hidden
                        for b in 0..<count {
                            let row = rowBase + b, zBase = row * h4, hBase = row * hidden, pBase = (first + b) * hidden, cBase = b * hidden
                            for unit in 0..<hidden {
                                let i = gates[zBase + unit], f = gates[zBase + hidden + unit]
                                let g = gates[zBase + 2 * hidden + unit], o = gates[zBase + 3 * hidden + unit]
                                let tc = tanhCells[hBase + unit]
                                let previousC = previousCells[cBase + unit]
                                let dh = dOutputs[hBase + unit] + dhNext[pBase + unit]
                                let dc = dh * o * (1 - tc * tc) + dcNext[pBase + unit]
                                dZ[zBase + unit] = dc * g * i * (1 - i)
                                dZ[zBase + hidden + unit] = dc * previousC * f * (1 - f)
                                dZ[zBase + 2 * hidden + unit] = dc * i * (1 - g * g)
                                dZ[zBase + 3 * hidden + unit] = dh * tc * o * (1 - o)
                                dcNext[pBase + unit] = dc * f
                            }
                        }
                        guard step > 0 else { break }
                        // dh(t−1) = dZ(t) · Whᵀ, through the recurrent mask.
                        if let packed {
                            xj_packed_gemm(count, hidden, h4, dZ + rowBase * h4, h4, packed, dhNext + first * hidden, hidden, 0)
                        } else {
                            BLAS.gemm(m: count, n: hidden, k: h4, UnsafePointer(dZ + rowBase * h4), lda: h4, weights, ldb: h4, transposeB: true,
                                      into: dhNext + first * hidden, ldc: hidden)
                        }
                        if let recurrentMask {
                            for index in (first * hidden)..<((first + count) * hidden) { dhNext[index] *= recurrentMask[index] }
                        }
                    }
                }
            }}}}}}}}}}
            var dRecurrent = [Float](repeating: 0, count: hidden * h4)
            let dBias = Self.columnSums(dZ, width: h4)
            tape.recurrentInputs[layer].withUnsafeBufferPointer { hin in
                dZ.withUnsafeBufferPointer { d in
                    dRecurrent.withUnsafeMutableBufferPointer { w in
                        BLAS.gemm(parts: threads, splittingColumns: true, m: hidden, n: h4, k: n, hin.baseAddress!, lda: hidden, transposeA: true,
                                  d.baseAddress!, ldb: h4, into: w.baseAddress!, ldc: h4)
                    }
                }
            }
            var dInput = [Float](repeating: 0, count: hidden * h4)
            var dBelow = [Float](repeating: 0, count: n * hidden)
            tape.inputs[layer].withUnsafeBufferPointer { x in
                dZ.withUnsafeBufferPointer { d in
                    dInput.withUnsafeMutableBufferPointer { w in
                        BLAS.gemm(parts: threads, splittingColumns: true, m: hidden, n: h4, k: n, x.baseAddress!, lda: hidden, transposeA: true,
                                  d.baseAddress!, ldb: h4, into: w.baseAddress!, ldc: h4)
                    }
                    inputWeights[layer].withUnsafeBufferPointer { w in
                        dBelow.withUnsafeMutableBufferPointer { dx in
                            BLAS.gemm(parts: threads, m: n, n: hidden, k: h4, d.baseAddress!, lda: h4, w.baseAddress!, ldb: h4, transposeB: true,
                                      into: dx.baseAddress!, ldc: hidden)
                        }
                    }
                }
            }
            if layer > 0 {
                dOutputs = Self.applying(masks.outputs[layer - 1], to: dBelow, width: hidden, batch: batch, shared: masks.shared)
            } else {
                // Into the embedding rows of the characters that were not dropped.
                for row in 0..<n {
                    var scale: Float = 1
                    if let mask = masks.embedding {
                        scale = masks.shared ? mask[(row % batch) * vocabulary + Int(tape.tokens[row])] : mask[row]
                    }
                    guard scale != 0 else { continue }
                    let target = Int(tape.tokens[row]) * hidden
                    for unit in 0..<hidden { dEmbedding[target + unit] += dBelow[row * hidden + unit] * scale }
                }
            }
            perLayer[layer] = [dInput, dRecurrent, dBias]
        }
        gradients.append(dEmbedding)
        for layer in 0..<layers { gradients += perLayer[layer] }
        return gradients + [dOutputWeights, dOutputBias]
    }
}
