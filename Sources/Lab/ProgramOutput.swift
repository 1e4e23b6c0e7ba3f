import Foundation
import Journal

/// What a program left in its `XJ_OUTPUT` folder, checked: `metrics.json` a flat object of numbers,
/// `curves.json` an object of equally long arrays of numbers (or null); everything else kept as is.
struct ProgramOutput {
    var metrics: [String: JSONValue] = [:]
    var curves: [String: JSONValue]? = nil
    /// `params.json`: parameters the program reports having used (`xj.log_params`, `log_sklearn`),
    /// stored as `results/params.json`; they never change the run key.
    var reportedParams: [String: JSONValue]? = nil
    /// A reason the output cannot be accepted (the run is then recorded as failed).
    var problem: String? = nil

    /// The files xj parses rather than stores.
    static let parsedNames: Set<String> = ["metrics.json", "curves.json", "params.json"]

    /// - Parameter files: the bytes of `metrics.json` and `curves.json` as read from the folder.
    init(files: [String: [UInt8]]) {
        do {
            if let object = try Self.object(files, "metrics.json") {
                for (key, value) in object {
                    guard case let .number(number) = value, number.isFinite else {
                        // Never echo a program's output beyond a short excerpt.
                        let shown = value.displayText
                        throw LabError.invalidData("XJ_OUTPUT/metrics.json, key `\(key.prefix(64))`: must be a finite number, got " +
                                                   (shown.count > 40 ? String(shown.prefix(40)) + "…" : shown))
                    }
                }
                metrics = object
            }
            if let object = try Self.object(files, "curves.json") {
                var length: Int?
                for (key, value) in object {
                    guard let array = value.arrayValue, array.allSatisfy({ $0 == .null || ($0.numberValue?.isFinite ?? false) }) else {
                        throw LabError.invalidData("XJ_OUTPUT/curves.json, key `\(key.prefix(64))`: must be an array of numbers (or null)")
                    }
                    if let length, length != array.count {
                        throw LabError.invalidData("XJ_OUTPUT/curves.json, key `\(key.prefix(64))`: has \(array.count) values, other curves have \(length)")
                    }
                    length = array.count
                }
                curves = object
            }
            if let object = try Self.object(files, "params.json") {
                for key in object.keys {
                    guard (try? ParameterSet.validateKey(key, source: "XJ_OUTPUT/params.json")) != nil else {
                        throw LabError.invalidData("XJ_OUTPUT/params.json: `\(key.prefix(64))` is not a parameter name")
                    }
                }
                guard object.count <= 1_000, CanonicalJSON.bytes(.object(object)).count <= 1 << 20 else {
                    throw LabError.invalidData("XJ_OUTPUT/params.json: more than 1,000 parameters or 1 MiB")
                }
                reportedParams = object
            }
        } catch {
            problem = "\(error)"
        }
    }

    private static func object(_ files: [String: [UInt8]], _ name: String) throws -> [String: JSONValue]? {
        guard let bytes = files[name] else { return nil }
        let value = try JSONParser.parse(bytes, source: "XJ_OUTPUT/" + name)
        guard let object = value.objectValue else { throw LabError.invalidData("XJ_OUTPUT/\(name): must be a JSON object") }
        return object
    }
}
