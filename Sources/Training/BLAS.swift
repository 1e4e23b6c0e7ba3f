import CBLAS
import Foundation

/// The one file that calls BLAS: every matrix product of the training core goes through here.
public enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, row-major (`cblas_sgemm`).
    /// - Parameters:
    ///   - transposeA: use Aᵀ; op(A) must be m×k.
    ///   - transposeB: use Bᵀ; op(B) must be k×n; C must be m×n.
    public static func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                            into c: inout Matrix, alpha: Float = 1, beta: Float = 0) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB, "gemm: inner dimensions differ (\(k) and \(kB))")
        precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        guard m > 0 && n > 0 else { return }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    xj_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0,
                             Int32(m), Int32(n), Int32(k), alpha, pa.baseAddress, Int32(a.columns), pb.baseAddress, Int32(b.columns),
                                beta, pc.baseAddress, Int32(c.columns))
                }
            }
        }
    }

    /// C = alpha · op(A) · op(B) + beta · C on raw row-major buffers with leading dimensions, for
    /// products over parts of a matrix (one time step of a sequence batch) without copying them out.
    public static func gemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                            _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                            into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        guard m > 0 && n > 0 else { return }
        xj_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0,
                 Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `gemm` on raw buffers with C's rows (or, `splittingColumns`, its columns) cut into `parts` blocks
    /// computed at once, one thread each, with OpenBLAS held at one thread meanwhile. Unlike OpenBLAS's
    /// own threads, which poll for work between products and take the cores from the work around
    /// them, these end with the product; and the cut depends only on `parts` (never on OpenBLAS's
    /// process-wide thread count, which a concurrent caller may be changing), so one `parts` gives the
    /// same bits every time.
    public static func gemm(parts: Int, splittingColumns: Bool = false, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
                            transposeA: Bool = false, _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                            into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        let length = splittingColumns ? n : m
        let blocks = max(1, min(parts, length / 32))
        guard blocks > 1 else {
            singleThreaded {
                gemm(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB, into: c, ldc: ldc, alpha: alpha, beta: beta)
            }
            return
        }
        // Block edges on multiples of 16, so every block but the last is whole micro-kernel tiles.
        func edge(_ block: Int) -> Int { block == blocks ? length : length * block / blocks / 16 * 16 }
        singleThreaded {
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                let first = edge(block), count = edge(block + 1) - first
                if splittingColumns {
                    gemm(m: m, n: count, k: k, a, lda: lda, transposeA: transposeA,
                         b + (transposeB ? first * ldb : first), ldb: ldb, transposeB: transposeB,
                         into: c + first, ldc: ldc, alpha: alpha, beta: beta)
                } else {
                    gemm(m: count, n: n, k: k, a + (transposeA ? first : first * lda), lda: lda, transposeA: transposeA,
                         b, ldb: ldb, transposeB: transposeB, into: c + first * ldc, ldc: ldc, alpha: alpha, beta: beta)
                }
            }
        }
    }

    /// The threads this process may use for products, read once: what OpenBLAS starts with
    /// (`OPENBLAS_NUM_THREADS`, else `GOTO_NUM_THREADS`, else `OMP_NUM_THREADS`, else one per
    /// processor; never more than the processors). Unlike `threadCount` it never changes while the
    /// process runs, so work cut by it is cut the same way every time.
    public static let availableThreads: Int = {
        let processors = ProcessInfo.processInfo.activeProcessorCount
        let environment = ProcessInfo.processInfo.environment
        let asked = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"].lazy
            .compactMap { environment[$0].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }.first { $0 > 0 }
        return max(1, min(asked ?? processors, processors))
    }()

    /// Runs `body` with OpenBLAS at one thread (when `condition` holds), for work that runs products
    /// on threads of its own. Holds nest and overlap (concurrent trainings in one process): the first
    /// sets one thread, the last restores what the first found.
    public static func singleThreaded<T>(if condition: Bool = true, _ body: () throws -> T) rethrows -> T {
        guard condition else { return try body() }
        BLASThreadHold.shared.enter()
        defer { BLASThreadHold.shared.leave() }
        return try body()
    }

    /// How many threads OpenBLAS uses now (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(xj_blas_threads()) }

    /// Sets how many threads OpenBLAS uses for each product (`openblas_set_num_threads`); a grid that
    /// trains several points at once gives each one thread so they do not fight over the cores.
    public static func setThreadCount(_ count: Int) {
        xj_blas_set_threads(Int32(max(1, count)))
    }

    /// y = alpha · A · x + beta · y (`cblas_sgemv`), for A m×n.
    public static func gemv(_ a: Matrix, _ x: [Float], into y: inout [Float], alpha: Float = 1, beta: Float = 0) {
        precondition(x.count == a.columns && y.count == a.rows, "gemv: shapes do not match")
        guard a.rows > 0 && a.columns > 0 else { return }
        a.values.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    xj_sgemv(Int32(a.rows), Int32(a.columns), alpha, pa.baseAddress, Int32(a.columns),
                                px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }
}

extension BLAS {
    /// The eigenvalues of a symmetric n×n matrix (row-major; only the values are needed), ascending,
    /// through LAPACK's `dsyev`.
    public static func symmetricEigenvalues(_ matrix: [Double], size n: Int) -> [Double] {
        precondition(matrix.count == n * n, "symmetricEigenvalues: \(matrix.count) values for a \(n)×\(n) matrix")
        guard n > 0 else { return [] }
        var a = matrix
        var values = [Double](repeating: 0, count: n)
        var size = Int32(n), leading = Int32(n), info: Int32 = 0
        var workSize: Int32 = -1
        var query = 0.0
        xj_dsyev("N", "U", &size, &a, &leading, &values, &query, &workSize, &info)
        workSize = Int32(max(query, Double(3 * n)))
        var work = [Double](repeating: 0, count: Int(workSize))
        xj_dsyev("N", "U", &size, &a, &leading, &values, &work, &workSize, &info)
        precondition(info == 0, "dsyev failed to converge (info \(info))")
        return values
    }
}
