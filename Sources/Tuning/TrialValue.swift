/// A parameter's value in a trial: a number or a category.
public enum TrialValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case category(String)

    public var description: String {
        switch self {
        case let .number(value): return "\(value)"
        case let .category(name): return name
        }
    }
}
