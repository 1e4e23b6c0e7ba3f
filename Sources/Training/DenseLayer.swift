/// A fully connected layer: y = x·Wᵀ + b for a batch x of shape [batch, in].
///
/// The weight W has shape [out, in] and starts uniform in ±limit of its `Initialization`
/// (e.g. glorot: ±√(6/(in+out))); the bias b has `out` entries and starts at zero.
/// Backward, for the gradient G = ∂L/∂y: ∂L/∂W = Gᵀ·x, ∂L/∂b = Σ_rows G, ∂L/∂x = G·W.
public struct DenseLayer: Sendable {
    public var weight: Matrix
    public var bias: [Float]
    public var weightGradient: Matrix
    public var biasGradient: [Float]

    public var inputs: Int { weight.columns }
    public var outputs: Int { weight.rows }

    public init(inputs: Int, outputs: Int, initialization: Initialization, generator: inout SeededGenerator) {
        let limit = initialization.limit(fanIn: inputs, fanOut: outputs)
        var values = [Float](repeating: 0, count: inputs * outputs)
        for index in values.indices { values[index] = (generator.nextUnitFloat() * 2 - 1) * limit }
        weight = Matrix(rows: outputs, columns: inputs, values: values)
        bias = Array(repeating: 0, count: outputs)
        weightGradient = Matrix(rows: outputs, columns: inputs)
        biasGradient = Array(repeating: 0, count: outputs)
    }

    /// output = input·Wᵀ + b. - Precondition: `output` is [input.rows, outputs].
    public func forward(_ input: Matrix, into output: inout Matrix) {
        let columns = outputs
        output.values.withUnsafeMutableBufferPointer { out in
            bias.withUnsafeBufferPointer { b in
                for row in 0..<input.rows {
                    (out.baseAddress! + row * columns).update(from: b.baseAddress!, count: columns)
                }
            }
        }
        BLAS.gemm(input, weight, transposeB: true, into: &output, beta: 1)
    }

    /// Stores ∂L/∂W and ∂L/∂b from the layer's input and the gradient at its output,
    /// and, when asked, writes ∂L/∂input.
    public mutating func backward(input: Matrix, outputGradient: Matrix, inputGradient: inout Matrix?) {
        BLAS.gemm(outputGradient, transposeA: true, input, into: &weightGradient)
        let columns = outputs
        biasGradient.withUnsafeMutableBufferPointer { db in
            for index in db.indices { db[index] = 0 }
            outputGradient.values.withUnsafeBufferPointer { g in
                for row in 0..<outputGradient.rows {
                    let base = row * columns
                    for column in 0..<columns { db[column] += g[base + column] }
                }
            }
        }
        if inputGradient != nil {
            BLAS.gemm(outputGradient, weight, into: &inputGradient!)
        }
    }
}
