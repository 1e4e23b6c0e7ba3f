import CBLAS
import Foundation

/// Which BLAS computes xj's matrix products on this machine: recorded in every experiment's `run.json`
/// (it is part of what makes a result reproducible) and chosen so that the kernels fit the CPU.
///
/// Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernels by CPU family and model when the library loads;
/// a model it does not know gets its generic SSE3 "Prescott" kernels, silently (an AVX-512 Xeon of
/// family 6, model 207 trained 2.4–3.1× slower than with SkylakeX kernels). `preferredCore` reads the
/// CPU's instruction-set features and names the kernel OpenBLAS should use instead; the executable
/// loader (`CBLAS`, which loads OpenBLAS on first use) reloads it with `OPENBLAS_CORETYPE` naming that
/// kernel before any product runs (Decisions/0011).
public struct BLASKernel: Sendable, Equatable {
    public let library: String
    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public let configuration: String
    /// The kernel set in use, e.g. "Haswell", "SkylakeX", "Zen", or the generic "Prescott".
    public let core: String
    public let threads: Int

    /// The kernels of the BLAS this process loaded.
    public static var current: BLASKernel {
        BLASKernel(library: "OpenBLAS", configuration: xj_blas_config().map { String(cString: $0) } ?? "?",
                   core: xj_blas_corename().map { String(cString: $0) } ?? "?", threads: Int(xj_blas_threads()))
    }

    /// OpenBLAS's x86 kernel sets that use no AVX: what it falls back to for a CPU it does not recognise.
    public static let genericCores: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai",
                                                   "Coppermine", "Northwood", "Banias", "Athlon", "Opteron", "Opteron_SSE3",
                                                   "Barcelona", "Nano", "Unknown"]

    /// The best OpenBLAS kernel set the CPU's features allow, when it beats `core`; nil when `core` is
    /// already right (or the CPU is not x86-64).
    /// - Parameter features: the CPU's flags as `/proc/cpuinfo` lists them (`avx2`, `fma`, `avx512f`, …).
    public static func preferredCore(over core: String, features: Set<String>) -> String? {
        guard genericCores.contains(core) || core.lowercased() == "sandybridge" else { return nil }
        if ["avx512f", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(features.contains) { return "SkylakeX" }
        if features.contains("avx2") && features.contains("fma") { return "Haswell" }
        if features.contains("avx") && genericCores.contains(core) { return "Sandybridge" }
        return nil
    }

    /// Has the BLAS loader (which loads OpenBLAS on its first use, not at start) ask `preferredCore`
    /// which kernels to use when OpenBLAS has chosen its own, and load it again with those. Called once
    /// by the executable before any product; a user's `OPENBLAS_CORETYPE` is never overridden.
    public static func chooseKernelsWhenLoaded() {
        xj_blas_set_core_chooser { chosen in
            guard let chosen, let better = BLASKernel.preferredCore(over: String(cString: chosen), features: BLASKernel.cpuFeatures()) else { return nil }
            // Once per process at most; the loader keeps the pointer.
            return UnsafePointer(strdup(better))
        }
    }

    /// The CPU's feature flags from `/proc/cpuinfo` (empty elsewhere).
    public static func cpuFeatures(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> Set<String> {
        guard let flags = cpuinfo?.split(separator: "\n").first(where: { $0.hasPrefix("flags") || $0.hasPrefix("Features") }),
              let colon = flags.firstIndex(of: ":") else { return [] }
        return Set(flags[flags.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// A one-line notice when the kernels in use are generic although the CPU could do better (say,
    /// because `OPENBLAS_CORETYPE` forces them), or when only generic kernels exist for it.
    public func notice(features: Set<String> = BLASKernel.cpuFeatures()) -> String? {
        guard Self.genericCores.contains(core) else { return nil }
        if let better = Self.preferredCore(over: core, features: features) {
            return "OpenBLAS runs its generic \(core) kernels although this CPU supports \(better)" +
                (ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (OPENBLAS_CORETYPE=\($0) is set)" } ?? "") +
                "; matrix products are several times slower"
        }
        return "OpenBLAS has only its generic \(core) kernels for this CPU; matrix products are slower than the CPU allows"
    }

    public var description: String { "\(configuration.split(separator: " ").prefix(2).joined(separator: " ")), core \(core), \(threads) thread\(threads == 1 ? "" : "s")" }
}
