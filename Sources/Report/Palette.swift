import Foundation

/// Colours: a categorical palette for series (Okabe–Ito, distinguishable with colour-blindness) and a
/// sequential scale for heat maps (viridis, sampled).
public enum Palette {
    static let categorical = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    public static func series(_ index: Int) -> String { categorical[index % categorical.count] }

    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]

    /// The colour for a fraction in [0, 1] (0 dark purple, 1 yellow).
    public static func sequential(_ fraction: Double) -> String {
        let clamped = min(max(fraction.isFinite ? fraction : 0, 0), 1) * Double(viridis.count - 1)
        let index = min(Int(clamped), viridis.count - 2)
        let t = clamped - Double(index)
        let (a, b) = (viridis[index], viridis[index + 1])
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Black or white, whichever reads on a viridis colour.
    static func textOn(_ fraction: Double) -> String { fraction > 0.55 ? "#000000" : "#FFFFFF" }
}
