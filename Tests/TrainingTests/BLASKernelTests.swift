import Testing
@testable import Training

/// Choosing OpenBLAS kernels that fit the CPU (issue 14 §1, Decisions/0011).
@Suite struct BLASKernelTests {
    static let avx512 = Set("fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl".split(separator: " ").map(String.init))
    static let avx2 = Set("fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma".split(separator: " ").map(String.init))
    static let sse = Set("fpu sse sse2 ssse3".split(separator: " ").map(String.init))

    /// The Xeon of family 6, model 207 that Debian's OpenBLAS 0.3.21 does not know: Prescott → SkylakeX.
    @Test func aGenericFallbackOnAnAVX512CPUGetsSkylakeX() {
        #expect(BLASKernel.preferredCore(over: "Prescott", features: Self.avx512) == "SkylakeX")
        #expect(BLASKernel.preferredCore(over: "Prescott", features: Self.avx2) == "Haswell")
        #expect(BLASKernel.preferredCore(over: "Sandybridge", features: Self.avx2) == "Haswell")
    }

    @Test func recognisedCoresAndOldCPUsAreLeftAlone() {
        #expect(BLASKernel.preferredCore(over: "Zen", features: Self.avx2) == nil)
        #expect(BLASKernel.preferredCore(over: "SkylakeX", features: Self.avx512) == nil)
        #expect(BLASKernel.preferredCore(over: "Haswell", features: Self.avx512) == nil)
        #expect(BLASKernel.preferredCore(over: "Prescott", features: Self.sse) == nil)
        #expect(BLASKernel.preferredCore(over: "ARMV8", features: ["fp", "asimd"]) == nil)
    }

    @Test func flagsAreReadFromCpuinfo() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 fma avx512f\nbugs\t\t: spectre_v1\n"
        #expect(BLASKernel.cpuFeatures(cpuinfo: cpuinfo) == ["fpu", "avx2", "fma", "avx512f"])
        #expect(BLASKernel.cpuFeatures(cpuinfo: nil).isEmpty)
    }

    @Test func theLoadedKernelIsNamed() {
        let kernel = BLASKernel.current
        #expect(kernel.library == "OpenBLAS" && kernel.configuration.hasPrefix("OpenBLAS") && !kernel.core.isEmpty && kernel.threads >= 1)
    }
}
