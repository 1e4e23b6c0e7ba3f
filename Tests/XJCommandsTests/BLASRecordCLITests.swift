import Foundation
import Testing
import XJTestSupport

/// The BLAS kernels are recorded with each run, and generic ones are announced (issue 14 §1).
@Suite struct BLASRecordCLITests {
    @Test func runJsonRecordsTheKernelsAndGenericOnesAreAnnounced() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let forced = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "--json"], in: folder,
                                            environment: ["OPENBLAS_CORETYPE": "Prescott"])
            #expect(forced.status == 0, "\(forced.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [String: Any])
            let blas = try #require((object["run"] as? [String: Any])?["blas"] as? [String: Any])
            #expect(blas["core"] as? String == "Prescott" && blas["library"] as? String == "OpenBLAS" && (blas["threads"] as? Int ?? 0) >= 1)
            #expect(forced.stderr.hasPrefix("xj: note: OpenBLAS runs its generic Prescott kernels") || forced.stderr.hasPrefix("xj: note: OpenBLAS has only its generic"))
            let shown = try BuiltBinary.xj(["show", String((object["id"] as? String ?? "").prefix(10))], in: folder)
            #expect(shown.stdout.contains("  blas      OpenBLAS 0.3") && shown.stdout.contains("core Prescott"))
        }
    }

    /// OpenBLAS loads on the first product, not at start: commands that multiply no matrix (listing,
    /// a `train` that is a re-run) never load it, which is a sixth of their time (issue 14 §3).
    @Test func onlyCommandsThatMultiplyLoadOpenBLAS() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            func loadsOpenBLAS(_ arguments: [String]) throws -> Bool {
                // The dynamic linker names every library it loads, dlopen'ed ones included.
                let result = try BuiltBinary.xj(arguments, in: folder, environment: ["LD_DEBUG": "files"])
                #expect(result.status == 0, "\(arguments): \(result.stderr.suffix(300))")
                return result.stderr.contains("libopenblas")
            }
            #expect(try loadsOpenBLAS(["train", "--data", "digits", "--model", "linear", "epochs=1"]))
            #expect(try !loadsOpenBLAS(["train", "--data", "digits", "--model", "linear", "epochs=1"]), "already run: no product")
            #expect(try !loadsOpenBLAS(["runs"]))
            #expect(try !loadsOpenBLAS(["--version"]))
        }
    }

    /// Where OpenBLAS picks generic kernels on loading (a CPU model it does not know, stood in for by
    /// XJ_BLAS_FIRST_CORETYPE), xj loads it again with the kernels the CPU supports, in the same
    /// process, and the run records those.
    @Test func genericKernelsOnLoadingAreReplacedByTheOnesTheCPUSupports() throws {
        try withScratchDirectory { folder in
            try makeDigitsJournal(in: folder)
            let result = try BuiltBinary.xj(["train", "--data", "digits", "--model", "linear", "epochs=1", "--json"], in: folder,
                                            environment: ["XJ_BLAS_FIRST_CORETYPE": "Prescott"])
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let blas = try #require((object["run"] as? [String: Any])?["blas"] as? [String: Any])
            let flags = Set((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
                .first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
            let expected = flags.isSuperset(of: ["avx512f", "avx512vl", "avx512bw", "avx512dq"]) ? "SkylakeX"
                : flags.isSuperset(of: ["avx2", "fma"]) ? "Haswell" : flags.contains("avx") ? "Sandybridge" : "Prescott"
            #expect(blas["core"] as? String == expected, "\(blas)")
            #expect(expected == "Prescott" || !result.stderr.contains("generic"), "no notice once the kernels fit: \(result.stderr)")
        }
    }
}
