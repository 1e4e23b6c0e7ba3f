/// Why a plot or report cannot be made, written for the terminal.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    case noExperiments(String)
    case unknownParameter(String, varying: [String])
    case unknownMetric(String, available: [String])
    case tooManyParameters(Int)

    public var description: String {
        switch self {
        case let .noExperiments(place): return "no experiments \(place)"
        case let .unknownParameter(name, varying):
            return "no experiment has parameter `\(name)`" + (varying.isEmpty ? "" : "; parameters that vary: " + varying.joined(separator: ", "))
        case let .unknownMetric(name, available):
            return "no experiment has metric `\(name)`; metrics: " + available.joined(separator: ", ")
        case let .tooManyParameters(count): return "--grid takes one or two parameters, got \(count)"
        }
    }
}
