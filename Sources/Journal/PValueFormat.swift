import Foundation

/// How a p-value is written wherever a verdict is shown (terminal, report): with the significant
/// digits it needs so that rounding never carries it across α (0.0496 is not shown as 0.05).
public enum PValueFormat {
    public static func text(_ p: Double, alpha: Double) -> String {
        for digits in 3...8 {
            let text = String(format: "%.\(digits)g", p)
            if let shown = Double(text), (shown < alpha) == (p < alpha) { return text }
        }
        return String(format: "%.8g", p)
    }
}
