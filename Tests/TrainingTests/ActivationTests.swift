import Testing
@testable import Training

/// relu′ is applied eight units at a time; it must zero exactly the gradients whose output is ≤ 0
/// (−0 included) and keep the rest, a NaN output's too, for any length (the tail after the last eight).
@Suite struct ActivationTests {
    @Test func reluBackpropagationZeroesExactlyWhereTheOutputIsNotPositive() {
        var generator = SeededGenerator(seed: 14)
        let special: [Float] = [0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        for length in 0..<40 {
            let outputs = (0..<length).map { _ in
                Bool.random(using: &generator) ? special.randomElement(using: &generator)! : Float.random(in: -1...1, using: &generator)
            }
            let gradient = (0..<length).map { _ in Float.random(in: -5...5, using: &generator) }
            var computed = gradient
            Activation.relu.backpropagate(&computed, output: outputs)
            let expected = zip(gradient, outputs).map { g, a in a <= 0 ? 0 : g }
            #expect(computed.map(\.bitPattern) == expected.map(\.bitPattern), "length \(length)")
        }
    }
}
