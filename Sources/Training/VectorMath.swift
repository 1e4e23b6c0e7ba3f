/// exp, sigmoid and tanh on eight lanes at once, for the LSTM's gates (glibc's scalar `expf` was a
/// fifth of the recurrence's time). Cody–Waite range reduction and a degree-6 polynomial: about 2
/// ulp from the true value over the float range, ±infinity and 0 at the ends, as `expf`.
enum VectorMath {
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = x.clamped(lowerBound: SIMD8(repeating: -87.3), upperBound: SIMD8(repeating: 88.7))
        let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
        // r = x − n·ln 2, with ln 2 split in two so the product is exact.
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let result = (p * r * r + r) + 1
        // 2^n through the exponent bits.
        let bits = (SIMD8<Int32>(truncatingIfNeeded: SIMD8<Int32>(n)) &+ 127) &<< 23
        let scale = unsafeBitCast(bits, to: SIMD8<Float>.self)
        var value = result * scale
        value.replace(with: SIMD8(repeating: .infinity), where: x .> 88.7)
        value.replace(with: SIMD8(repeating: 0), where: x .< -87.3)
        return value
    }

    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + exp(-x)) }

    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> { 1 - 2 / (exp(2 * x) + 1) }
}
