import CKernels
import Foundation
import Testing
import Training

/// The LSTM step's gate kernel: the version this CPU runs (AVX2 where it has it) agrees with the
/// portable one and with Float64 formulas, over ordinary and extreme pre-activations, for a width that
/// is not a multiple of eight (the vector loop's tail).
@Suite struct LSTMGateKernelTests {
    @Test(arguments: [256, 13])
    func theCPUsVersionAgreesWithThePortableOneAndFloat64(hidden: Int) {
        var generator = SeededGenerator(seed: 3)
        let rows = 5
        var z = (0..<(rows * 4 * hidden)).map { _ in (generator.nextUnitFloat() * 2 - 1) * 6 }
        // Extremes: saturation both ways, exp's clamp, zero.
        for (index, value) in [100, -100, 88.5, -88.5, 87, -87, 0, 1e-30, -1e-30, 45, -45].enumerated() { z[index * 7] = Float(value) }
        let previous = (0..<(rows * hidden)).map { _ in (generator.nextUnitFloat() * 2 - 1) * 3 }
        func run(_ kernel: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                            UnsafeMutablePointer<Float>, Int, Int) -> Void) -> (gates: [Float], cells: [Float], tanh: [Float], outputs: [Float]) {
            var gates = z, cells = [Float](repeating: 0, count: rows * hidden), tanh = cells, outputs = cells
            kernel(&gates, previous, &cells, &tanh, &outputs, rows, hidden)
            return (gates, cells, tanh, outputs)
        }
        let chosen = run { xj_lstm_gates($0, $1, $2, $3, $4, $5, $6) }
        let portable = run { xj_lstm_gates_portable($0, $1, $2, $3, $4, $5, $6) }
        for (name, a, b) in [("gates", chosen.gates, portable.gates), ("cells", chosen.cells, portable.cells),
                             ("tanh", chosen.tanh, portable.tanh), ("outputs", chosen.outputs, portable.outputs)] {
            let worst = zip(a, b).map { abs($0 - $1) }.max()!
            let version = String(cString: xj_kernels_version())
            let finite = a.allSatisfy(\.isFinite)
            #expect(worst <= 2e-6, "\(name): the \(version) and portable versions differ by \(worst)")
            #expect(finite, "\(name) has a non-finite value")
        }
        // Against Float64 formulas.
        for row in 0..<rows {
            for unit in 0..<hidden {
                func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }
                let base = row * 4 * hidden
                let i = sigmoid(z[base + unit]), f = sigmoid(z[base + hidden + unit])
                let g = Foundation.tanh(Double(z[base + 2 * hidden + unit])), o = sigmoid(z[base + 3 * hidden + unit])
                let cell = f * Double(previous[row * hidden + unit]) + i * g
                let output = o * Foundation.tanh(cell)
                let cellError = abs(Double(chosen.cells[row * hidden + unit]) - cell), outputError = abs(Double(chosen.outputs[row * hidden + unit]) - output)
                #expect(cellError <= 1e-5 * max(1, abs(cell)) && outputError <= 1e-5, "row \(row) unit \(unit)")
            }
        }
    }
}
