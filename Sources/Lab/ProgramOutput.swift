import Foundation
import Journal

/// What a program left in its `XJ_OUTPUT` folder, checked: `metrics.json` a flat object of numbers,
/// `curves.json` an object of equally long arrays of numbers (or null); everything else kept as is.
struct ProgramOutput {
    var metrics: [String: JSONValue] = [:]
    var curves: [String: JSONValue]? = nil
    /// A reason the output cannot be accepted (the run is then recorded as failed).
    var problem: String? = nil

    init(folder: String) {
        do {
            if let object = try Self.object(folder, "metrics.json") {
                for (key, value) in object {
                    guard case let .number(number) = value, number.isFinite else {
                        throw LabError.invalidData("XJ_OUTPUT/metrics.json, key `\(key)`: must be a finite number, got \(value.displayText)")
                    }
                }
                metrics = object
            }
            if let object = try Self.object(folder, "curves.json") {
                var length: Int?
                for (key, value) in object {
                    guard let array = value.arrayValue, array.allSatisfy({ $0 == .null || ($0.numberValue?.isFinite ?? false) }) else {
                        throw LabError.invalidData("XJ_OUTPUT/curves.json, key `\(key)`: must be an array of numbers (or null)")
                    }
                    if let length, length != array.count {
                        throw LabError.invalidData("XJ_OUTPUT/curves.json, key `\(key)`: has \(array.count) values, other curves have \(length)")
                    }
                    length = array.count
                }
                curves = object
            }
        } catch {
            problem = "\(error)"
        }
    }

    private static func object(_ folder: String, _ name: String) throws -> [String: JSONValue]? {
        let path = folder + "/" + name
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let value = try JSONParser.parse(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), source: "XJ_OUTPUT/" + name)
        guard let object = value.objectValue else { throw LabError.invalidData("XJ_OUTPUT/\(name): must be a JSON object") }
        return object
    }
}
