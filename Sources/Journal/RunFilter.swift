/// A parsed `xj runs --where` expression: comparisons of experiment fields joined by
/// `and`, `or`, `not` and parentheses (Guide, "The experiment table").
public indirect enum RunFilter: Sendable, Equatable {
    public enum Comparison: String, Sendable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    case all(RunFilter, RunFilter)
    case any(RunFilter, RunFilter)
    case not(RunFilter)
    /// `field op value`; `column` (1-based) points at the field for errors.
    case compare(field: String, comparison: Comparison, value: JSONValue, column: Int)
    /// `field in (v1, v2, …)`.
    case member(field: String, values: [JSONValue], column: Int)

    /// The fields the expression names, with their columns, for checking them against what the rows hold.
    public var fields: [(name: String, column: Int)] {
        switch self {
        case let .all(left, right), let .any(left, right): return left.fields + right.fields
        case let .not(inner): return inner.fields
        case let .compare(field, _, _, column), let .member(field, _, column): return [(field, column)]
        }
    }

    /// Whether a row passes, given each field's values in it (several for `line` and `tag`, none when absent).
    /// A comparison with an absent field is false, so `not (lr > 0.1)` selects rows without `lr`.
    public func matches(_ values: (String) -> [JSONValue]) -> Bool {
        switch self {
        case let .all(left, right): return left.matches(values) && right.matches(values)
        case let .any(left, right): return left.matches(values) || right.matches(values)
        case let .not(inner): return !inner.matches(values)
        case let .compare(field, comparison, wanted, _):
            let present = values(field)
            if comparison == .notEqual { return !present.isEmpty && !present.contains { Self.compare($0, wanted, .equal, field: field) } }
            return present.contains { Self.compare($0, wanted, comparison, field: field) }
        case let .member(field, wanted, _):
            return values(field).contains { value in wanted.contains { Self.compare(value, $0, .equal, field: field) } }
        }
    }

    /// One value against one literal: numbers by value, text by characters. A `date` is compared on
    /// as many characters as the literal has, so `date = 2026-11-28` is that whole day.
    public static func compare(_ value: JSONValue, _ wanted: JSONValue, _ comparison: Comparison, field: String) -> Bool {
        // A one-item list (hidden=[32]) compares as its item; a longer one as `128/64`, as sweeps write it.
        if case let .array(items) = value {
            if items.count == 1 { return compare(items[0], wanted, comparison, field: field) }
            return compare(.string(items.map(\.displayText).joined(separator: "/")), wanted, comparison, field: field)
        }
        let order: Int
        switch (value, wanted) {
        case let (.number(a), .number(b)): order = a < b ? -1 : a > b ? 1 : 0
        case let (.bool(a), .bool(b)): order = a == b ? 0 : (a ? 1 : -1)
        case let (.string(a), _):
            let b = wanted.displayText
            let left = field == "date" ? String(a.prefix(b.count)) : a
            order = left < b ? -1 : left > b ? 1 : 0
        case let (.number(a), .string(b)):
            guard let number = Double(b) else { return false }
            order = a < number ? -1 : a > number ? 1 : 0
        default:
            return false
        }
        switch comparison {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}
