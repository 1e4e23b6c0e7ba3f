import Testing
@testable import Training

/// Every layer's analytic gradient against central finite differences (relative error < 1e-2 in Float32).
@Suite struct GradientCheckTests {
    static let cases: [(Activation, Loss, Int)] = [
        (.relu, .crossEntropy, 3), (.tanh, .crossEntropy, 3), (.sigmoid, .crossEntropy, 3),
        (.tanh, .binaryCrossEntropy, 1), (.sigmoid, .meanSquaredError, 1), (.relu, .meanSquaredError, 1),
    ]

    @Test(arguments: cases)
    func layerGradientsMatchFiniteDifferences(_ activation: Activation, _ loss: Loss, _ outputs: Int) {
        var generator = SeededGenerator(seed: 7)
        var network = Network(sizes: [5, 6, 4, outputs], activation: activation, dropout: 0, initialization: .glorot, generator: &generator)
        let batch = 4
        var input = Matrix(rows: batch, columns: 5)
        for index in input.values.indices { input.values[index] = generator.nextUnitFloat() * 2 - 1 }
        let targets: [Float] = loss == .meanSquaredError ? [0.5, -1, 2, 0] : (outputs == 1 ? [1, 0, 1, 0] : [0, 2, 1, 2])

        func lossValue(_ network: inout Network) -> Double {
            var none: SeededGenerator? = nil
            let logits = network.forward(input, generator: &none)
            var gradient = Matrix(rows: batch, columns: outputs)
            return loss.evaluate(logits, targets: targets[...], gradient: &gradient)
        }

        var none: SeededGenerator? = nil
        let logits = network.forward(input, generator: &none)
        var gradient = Matrix(rows: batch, columns: outputs)
        _ = loss.evaluate(logits, targets: targets[...], gradient: &gradient)
        network.backward(input: input, outputGradient: gradient, training: false)
        let analytic = network.layers

        let step: Float = activation == .relu ? 1e-3 : 1e-2
        for layer in network.layers.indices {
            for index in stride(from: 0, to: network.layers[layer].weight.values.count, by: 3) {
                let original = network.layers[layer].weight.values[index]
                network.layers[layer].weight.values[index] = original + step
                let plus = lossValue(&network)
                network.layers[layer].weight.values[index] = original - step
                let minus = lossValue(&network)
                network.layers[layer].weight.values[index] = original
                let numeric = (plus - minus) / Double(2 * step)
                let exact = Double(analytic[layer].weightGradient.values[index])
                let error = abs(numeric - exact) / max(abs(numeric) + abs(exact), 1e-3)
                #expect(error < 1e-2, "layer \(layer) weight \(index): numeric \(numeric), analytic \(exact)")
            }
            for index in network.layers[layer].bias.indices {
                let original = network.layers[layer].bias[index]
                network.layers[layer].bias[index] = original + step
                let plus = lossValue(&network)
                network.layers[layer].bias[index] = original - step
                let minus = lossValue(&network)
                network.layers[layer].bias[index] = original
                let numeric = (plus - minus) / Double(2 * step)
                let exact = Double(analytic[layer].biasGradient[index])
                let error = abs(numeric - exact) / max(abs(numeric) + abs(exact), 1e-3)
                #expect(error < 1e-2, "layer \(layer) bias \(index): numeric \(numeric), analytic \(exact)")
            }
        }
    }

    @Test func dropoutKeepsTheExpectedFractionAndScales() {
        var generator = SeededGenerator(seed: 1)
        var network = Network(sizes: [10, 200, 2], activation: .relu, dropout: 0.25, initialization: .he, generator: &generator)
        var input = Matrix(rows: 50, columns: 10)
        for index in input.values.indices { input.values[index] = 1 }
        var dropoutGenerator: SeededGenerator? = SeededGenerator(seed: 2)
        _ = network.forward(input, generator: &dropoutGenerator)
        var none: SeededGenerator? = nil
        let deterministic = network.forward(input, generator: &none)
        let again = network.forward(input, generator: &none)
        #expect(deterministic == again)
    }
}

extension Activation: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
