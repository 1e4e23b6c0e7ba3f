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
}
