import Foundation

/// The reference values `scripts/statistics-reference.py` computed with scipy and statsmodels
/// (Fixtures/reference.json; the versions used are in the file).
enum Reference {
    static let values: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference.json")
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func cases(_ name: String) -> [[String: Any]] { values[name] as! [[String: Any]] }
}

extension Dictionary where Key == String, Value == Any {
    func number(_ key: String) -> Double { (self[key] as! NSNumber).doubleValue }
    func numbers(_ key: String) -> [Double] { (self[key] as! [NSNumber]).map(\.doubleValue) }
    func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
}

/// |actual − expected| ≤ 1e-6, or relative 1e-6 for large magnitudes.
func close(_ actual: Double, _ expected: Double, _ tolerance: Double = 1e-6) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}
