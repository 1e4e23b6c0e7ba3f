import Journal

/// The values one parameter takes in a sweep.
public enum GridAxis: Equatable, Sendable {
    /// Listed values (`lr=0.1,0.01`, `seed=1..5`, or one value).
    case values([JSONValue])
    /// A range for random search (`lr=1e-4:1e-1:log`, `dropout=0:0.5`); whole-number bounds sample whole numbers.
    case range(low: Double, high: Double, logarithmic: Bool, whole: Bool)

    /// Reads one `key=spec` value: `a,b,c` (items typed as in `xj train`; a list-valued item is written
    /// with `/`, e.g. `hidden=128/64,256`), `lo..hi` (whole numbers), `lo:hi` or `lo:hi:log`.
    public static func parse(_ text: String, key: String) throws -> GridAxis {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let dots = trimmed.range(of: ".."), let low = Int(trimmed[..<dots.lowerBound]), let high = Int(trimmed[dots.upperBound...]) {
            guard low <= high else { throw LabError.invalidParameter(key: key, message: "the range \(trimmed) is empty") }
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span < GridPlan.maximumPoints else {
                throw LabError.invalidParameter(key: key, message: "the range \(trimmed) has " + (overflow ? "more values than can be counted" : "\(span.addingReportingOverflow(1).partialValue) values") +
                                                "; a sweep has at most \(GridPlan.maximumPoints) points")
            }
            return .values((low...high).map { .number(Double($0)) })
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 || parts.count == 3, let low = Double(parts[0]), let high = Double(parts[1]) {
            let logarithmic = parts.count == 3
            guard !logarithmic || parts[2] == "log" else { throw LabError.invalidParameter(key: key, message: "a range is lo:hi or lo:hi:log, got \(trimmed)") }
            guard low.isFinite, high.isFinite, low < high else { throw LabError.invalidParameter(key: key, message: "a range needs lo < hi, got \(trimmed)") }
            guard !logarithmic || low > 0 else { throw LabError.invalidParameter(key: key, message: "a log range needs lo > 0, got \(trimmed)") }
            let whole = !parts[0].contains(".") && !parts[1].contains(".") && !parts[0].lowercased().contains("e") && !parts[1].lowercased().contains("e")
            return .range(low: low, high: high, logarithmic: logarithmic, whole: whole)
        }
        let items = try trimmed.split(separator: ",", omittingEmptySubsequences: false).map { item -> JSONValue in
            let piece = String(item)
            if piece.contains("/") {
                return .array(try piece.split(separator: "/", omittingEmptySubsequences: false).map {
                    try ParameterSet.typedValue(String($0), key: key, source: "grid")
                })
            }
            return try ParameterSet.typedValue(piece, key: key, source: "grid")
        }
        return .values(items)
    }
}
