import CKernels
import Testing
import Training

/// The per-step product on weights packed once (`xj_packed_gemm`): the same values as BLAS over the
/// tile's row counts (6, and the 1–5 left over), panels cut short (n not a multiple of 16), both
/// layouts of B and both writing modes; and an LSTM batch through it gives BLAS's loss and gradients.
@Suite struct PackedGemmTests {
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextUnitFloat() * 2 - 1 }
    }

    @Test func packingLaysColumnsOutInPanelsOfSixteenPaddedWithZeros() {
        // B is 2×17: panel 0 holds columns 0–15 row by row, panel 1 column 16 and fifteen zeros per row.
        let b = (0..<34).map(Float.init)
        var packed = [Float](repeating: .nan, count: xj_packed_size(2, 17))
        xj_pack_columns(b, 17, 0, 2, 17, &packed)
        #expect(packed.count == 64)
        #expect(Array(packed[0..<16]) == (0..<16).map(Float.init))
        #expect(Array(packed[16..<32]) == (17..<33).map(Float.init))
        #expect(packed[32] == 16 && packed[48] == 33)
        #expect(packed[33..<48].allSatisfy { $0 == 0 } && packed[49..<64].allSatisfy { $0 == 0 })
        // The same B given as its transpose (17×2) packs the same.
        let transposed = (0..<34).map { index in b[(index % 2) * 17 + index / 2] }
        var again = [Float](repeating: .nan, count: 64)
        xj_pack_columns(transposed, 2, 1, 2, 17, &again)
        #expect(again == packed)
    }

    /// The LSTM routes its per-step products here only where the fast (AVX2) version runs.
    @Test func theLSTMPacksOnlyWhereTheProductIsVectorised() {
        var generator = SeededGenerator(seed: 1)
        let model = CharacterLSTM(vocabulary: 2, hidden: 1, layers: 1, scale: 0.1, generator: &generator)
        #expect(model.packsRecurrentWeights == (xj_packed_gemm_available() != 0))
    }

    /// The version this CPU runs (AVX2 where it has it) and the one-lane version.
    @Test(arguments: [(1, 16, 3), (5, 17, 64), (6, 32, 256), (7, 40, 9), (13, 8, 1024), (16, 1024, 256), (16, 256, 1024)])
    func theProductMatchesBLAS(rows: Int, n: Int, k: Int) {
        let lda = k + 3, ldc = n + 5
        let a = Self.values(rows * lda, seed: 1), weights = Self.values(k * n, seed: 2), start = Self.values(rows * ldc, seed: 3)
        for transposed in [false, true] {
            // The weights as B (k×n) or as Bᵀ (n×k): the same product either way.
            let stored = transposed ? (0..<(k * n)).map { weights[($0 % k) * n + $0 / k] } : weights
            var packed = [Float](repeating: 0, count: xj_packed_size(k, n))
            xj_pack_columns(stored, transposed ? k : n, transposed ? 1 : 0, k, n, &packed)
            for accumulate in [false, true] {
                var expected = start, actual = start
                a.withUnsafeBufferPointer { pa in
                    weights.withUnsafeBufferPointer { pb in
                        expected.withUnsafeMutableBufferPointer { pc in
                            BLAS.gemm(m: rows, n: n, k: k, pa.baseAddress!, lda: lda, pb.baseAddress!, ldb: n, into: pc.baseAddress!, ldc: ldc,
                                      beta: accumulate ? 1 : 0)
                        }
                    }
                }
                var portable = start
                xj_packed_gemm(rows, n, k, a, lda, packed, &actual, ldc, accumulate ? 1 : 0)
                xj_packed_gemm_portable(rows, n, k, a, lda, packed, &portable, ldc, accumulate ? 1 : 0)
                for (version, result) in [("this CPU's", actual), ("portable", portable)] {
                    var worst: Float = 0
                    for row in 0..<rows {
                        for column in 0..<ldc {
                            let index = row * ldc + column
                            // Columns past n belong to someone else: never written.
                            if column >= n { #expect(result[index] == start[index]); continue }
                            worst = max(worst, abs(result[index] - expected[index]) / Float(k).squareRoot())
                        }
                    }
                    #expect(worst <= 1e-5, "\(version) version, rows \(rows), n \(n), k \(k), transposed \(transposed), accumulate \(accumulate): off by \(worst)")
                }
            }
        }
    }
}
