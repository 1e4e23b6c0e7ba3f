import Foundation
import Journal

/// Small datasets and parameter files whose object ids the tests pin.
public enum Fixtures {
    /// A four-row CSV with a numeric feature, a categorical feature and a class label.
    public static let tinyCSV = "x,colour,y\n1,red,0\n2.5,blue,1\n-1,red,0\n4,green,1\n"

    /// The same parameters as `tinyParamsYAML`, spelled differently.
    public static let tinyParamsJSON = #"{"optimizer": "adam", "lr": 1e-3, "hidden": [128, 64.0], "epochs": 30}"#
    public static let tinyParamsYAML = "epochs: 30.0\nhidden:\n  - 128\n  - 64\nlr: 0.001\noptimizer: adam\n"

    /// The bundled digits data (1,797 rows, 64 pixel columns and `target`).
    public static var digitsPath: String {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("data/digits.csv").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        fatalError("data/digits.csv not found above \(#filePath)")
    }

    /// A `.npy` file (format 1.0) of little-endian float32 values with the given shape, C order.
    public static func npy(rows: Int, columns: Int, values: [Float]) -> [UInt8] {
        NpyEncoding.float32(values, shape: [rows, columns])
    }
}
