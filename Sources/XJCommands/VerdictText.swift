import Foundation
import Lab

/// The numbers behind a prediction's result, as one line.
enum VerdictText {
    static func numbers(_ result: PredictionResult) -> String {
        guard let left = result.left, let right = result.right else { return "n=\(result.countLeft)+\(result.countRight)" }
        var text = "\(result.prediction.left.aggregate.rawValue) \(format(left)) vs \(format(right))"
        if let test = result.test {
            let below = result.prediction.comparison.expectsBelow
            // A falsified prediction is shown with the p-value of the opposite direction, which decided it.
            let p = (result.status == .falsified) == below ? test.pGreater : test.pLess
            text += " (Δ \(format(test.difference)), 95% CI [\(format(test.confidenceLow)), \(format(test.confidenceHigh))])"
            text += ", t=\(test.t.isFinite ? String(format: "%.2f", test.t) : (test.t > 0 ? "∞" : "−∞")), df=\(String(format: "%.1f", test.degreesOfFreedom)), \(result.status == .falsified ? "p(opposite)" : "p")=\(String(format: "%.2g", p))"
        }
        return text + ", n=\(result.countLeft)" + (result.countRight > 0 ? "+\(result.countRight)" : "")
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
