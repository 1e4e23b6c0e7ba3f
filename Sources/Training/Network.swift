/// A stack of dense layers: hidden layers with an activation and (inverted) dropout, then a
/// linear output layer whose raw outputs go to the `Loss`.
///
/// Inverted dropout keeps each hidden unit with probability q = 1 − rate during training and
/// scales kept units by 1/q, so inference needs no rescaling.
public struct Network: Sendable {
    public var layers: [DenseLayer]
    public let activation: Activation
    public let dropout: Float
    /// Dropout on the inputs (the features), drawn before the hidden units' masks.
    public var inputDropout: Float = 0

    // Per-batch buffers, reused while the batch size stays the same.
    private var activations: [Matrix] = []
    private var masks: [[Float]] = []
    private var gradients: [Matrix?] = []
    /// The last batch with input dropout applied (what the first layer saw).
    private var droppedInput: Matrix?

    /// - Parameter sizes: [inputs, hidden…, outputs]; two entries make a linear model.
    public init(sizes: [Int], activation: Activation, dropout: Float, initialization: Initialization, generator: inout SeededGenerator) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 })
        var layers: [DenseLayer] = []
        for index in 0..<(sizes.count - 1) {
            // The output layer of a network whose hidden layers use relu still starts with glorot,
            // which suits its linear output.
            let isOutput = index == sizes.count - 2
            let scheme = isOutput && sizes.count > 2 && initialization == .he ? .glorot : initialization
            layers.append(DenseLayer(inputs: sizes[index], outputs: sizes[index + 1], initialization: scheme, generator: &generator))
        }
        self.layers = layers
        self.activation = activation
        self.dropout = dropout
    }

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weight.values.count + $1.bias.count } }

    /// Whether every weight and bias is finite (a diverging run's are not).
    public var isFinite: Bool {
        layers.allSatisfy { layer in layer.weight.values.allSatisfy(\.isFinite) && layer.bias.allSatisfy(\.isFinite) }
    }

    private mutating func prepare(batch: Int) {
        guard activations.first?.rows != batch else { return }
        activations = layers.map { Matrix(rows: batch, columns: $0.outputs) }
        masks = layers.map { Array(repeating: 1, count: batch * $0.outputs) }
        gradients = layers.indices.map { index in Matrix(rows: batch, columns: layers[index].outputs) }
    }

    /// The raw outputs for a batch. With `generator`, dropout is active (training, or Monte-Carlo prediction).
    public mutating func forward(_ input: Matrix, generator: inout SeededGenerator?) -> Matrix {
        prepare(batch: input.rows)
        let keep = 1 - dropout
        droppedInput = nil
        // The generator is taken out of its optional for the loops: one unwrap per batch, not per unit.
        if inputDropout > 0, var drawing = generator {
            var dropped = input
            let inputKeep = 1 - inputDropout, scale = 1 / (1 - inputDropout)
            dropped.values.withUnsafeMutableBufferPointer { x in
                for position in x.indices { x[position] *= drawing.nextUnitFloat() < inputKeep ? scale : 0 }
            }
            generator = drawing
            droppedInput = dropped
        }
        for index in layers.indices {
            let source = index == 0 ? (droppedInput ?? input) : activations[index - 1]
            layers[index].forward(source, into: &activations[index])
            guard index < layers.count - 1 else { break }
            activation.apply(&activations[index].values)
            if dropout > 0, var drawing = generator {
                let scale = 1 / keep
                masks[index].withUnsafeMutableBufferPointer { mask in
                    activations[index].values.withUnsafeMutableBufferPointer { a in
                        for position in a.indices {
                            let kept: Float = drawing.nextUnitFloat() < keep ? scale : 0
                            mask[position] = kept
                            a[position] *= kept
                        }
                    }
                }
                generator = drawing
            }
        }
        return activations[layers.count - 1]
    }

    /// Back-propagates ∂L/∂output through the layers of the last `forward`, filling each layer's gradients.
    public mutating func backward(input: Matrix, outputGradient: Matrix, training: Bool) {
        gradients[layers.count - 1] = outputGradient
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            let source = index == 0 ? (training ? droppedInput ?? input : input) : activations[index - 1]
            // Take the buffer out of the array while it is written, so it is not copied.
            var inputGradient: Matrix? = nil
            if index > 0 { swap(&inputGradient, &gradients[index - 1]) }
            layers[index].backward(input: source, outputGradient: gradients[index]!, inputGradient: &inputGradient)
            guard index > 0, var upstream = inputGradient else { continue }
            inputGradient = nil
            if dropout > 0 && training {
                masks[index - 1].withUnsafeBufferPointer { mask in
                    upstream.values.withUnsafeMutableBufferPointer { g in
                        for position in g.indices { g[position] *= mask[position] }
                    }
                }
            }
            // The stored activation is after dropout; the derivative needs it before, which is the
            // same wherever the mask kept the unit, and irrelevant where the mask zeroed it.
            activation.backpropagate(&upstream.values, output: unscaled(index - 1, training: training))
            gradients[index - 1] = upstream
        }
    }

    private func unscaled(_ index: Int, training: Bool) -> [Float] {
        // relu′ only asks whether a > 0, which scaling by 1/q does not change: no copy needed.
        guard dropout > 0 && training && activation != .relu else { return activations[index].values }
        let keep = 1 - dropout
        return activations[index].values.map { $0 * keep }
    }

    /// Makes the output layer predict y·scale + offset (targets standardised for training, predictions
    /// in original units afterwards): W ← scale·W, b ← scale·b + offset.
    public mutating func rescaleOutput(scale: Float, offset: Float) {
        let last = layers.count - 1
        for position in layers[last].weight.values.indices { layers[last].weight.values[position] *= scale }
        for position in layers[last].bias.indices { layers[last].bias[position] = layers[last].bias[position] * scale + offset }
    }

    /// Every parameter in order (layer by layer: weight row-major, then bias).
    public var flattenedParameters: [Float] { layers.flatMap { $0.weight.values + $0.bias } }
}
