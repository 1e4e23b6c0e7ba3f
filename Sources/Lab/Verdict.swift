import Foundation
import Journal

/// The verdict on a hypothesis: each prediction's result and the overall status.
public struct Verdict: Sendable {
    public let hypothesis: String
    public let alpha: Double
    public let results: [PredictionResult]
    /// Experiments the verdict was drawn from.
    public let experiments: Int
    /// The experiment counts of every recorded look at this hypothesis, this one last.
    public var looks: [Int] = []
    public var sequential = false

    /// Earlier looks on fewer or other experiments than this one: re-judging a fixed-n test as runs are
    /// added inflates its false-positive rate (unless the hypothesis is sequential).
    public var lookWarning: String? {
        let earlier = looks.dropLast()
        guard !sequential, !earlier.isEmpty, earlier.last != experiments else { return nil }
        let counts = earlier.suffix(4).map(String.init).joined(separator: ", ")
        return "look \(looks.count) at this hypothesis (earlier verdicts on \(earlier.count > 4 ? "…, " : "")\(counts) experiments): re-judging as runs are added " +
            "inflates false positives with every look; state the hypothesis with --sequential to look as often as you like"
    }

    /// supported (every prediction supported), falsified (some falsified, none supported), mixed (some of
    /// each), or open (nothing falsified, not everything supported yet: inconclusive or ambiguous ones).
    public var status: String {
        let supported = results.filter { $0.status == .supported }.count
        let falsified = results.filter { $0.status == .falsified }.count
        if falsified > 0 { return supported > 0 ? "mixed" : "falsified" }
        return supported == results.count && !results.isEmpty ? "supported" : "open"
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["hypothesis": .string(hypothesis), "status": .string(status), "alpha": .number(alpha),
                                            "experiments": .number(Double(experiments)), "predictions": .array(results.map(\.json)),
                                            "looks": .array(looks.map { .number(Double($0)) })]
        if sequential { members["sequential"] = true }
        if let lookWarning { members["warning"] = .string(lookWarning) }
        return .object(members)
    }

    /// The commit message: "verdict on dropout-helps: falsified (1 supported, 1 falsified, 0 inconclusive)".
    public var summary: String {
        var counts = [PredictionResult.Status.supported, .falsified, .inconclusive].map { status in
            "\(results.filter { $0.status == status }.count) \(status.rawValue)"
        }
        let ambiguous = results.filter { $0.status == .ambiguous }.count
        if ambiguous > 0 { counts.append("\(ambiguous) ambiguous") }
        return "verdict on \(hypothesis): \(status) (\(counts.joined(separator: ", ")))"
    }
}
