import Foundation

/// An always-valid t-test for looking at the data again and again.
///
/// The evidence is the Bayes factor of "the standardised effect δ is not 0" against "δ = 0" with a
/// normal prior δ ~ N(0, g) and the scale-invariant (right-Haar) prior on σ (Rouder et al. 2009, with
/// g fixed): with t the usual t statistic, ν its df and n_eff the effective size (n for one sample or
/// pairs, n_A n_B/(n_A + n_B) for two groups),
///
///     E = (1 + n_eff g)^(−1/2) · [(1 + t²/ν) / (1 + t²/(ν (1 + n_eff g)))]^((ν + 1)/2).
///
/// Under the null this Bayes factor is an e-process for data that arrive in groups (Pérez-Ortiz,
/// Lardy, de Heide & Grünwald 2024, "E-statistics, group invariance and anytime-valid testing"), so by
/// Ville's inequality P(E ever reaches 1/α) ≤ α however often one looks and whenever one stops. That
/// is what lets `xj verdict` be re-run after each batch of seeds without inflating false positives.
public struct SequentialTTest: Equatable, Sendable {
    public enum Decision: String, Sendable {
        case supported = "can stop: supported", falsified = "can stop: falsified", keepGoing = "keep going"
    }

    /// The e-value (Bayes factor) against "no difference beyond the margin".
    public let evidence: Double
    /// The threshold 1/α.
    public let threshold: Double
    public let decision: Decision

    /// The prior variance g of δ; 1 is the "medium" effect scale of a unit-information prior.
    public static let defaultPriorScale = 1.0

    /// - Parameters:
    ///   - expectsBelow: the prediction's direction: A below B (+ margin).
    public init(t: Double, degreesOfFreedom nu: Double, effectiveCount: Double, alpha: Double, expectsBelow: Bool,
                priorScale g: Double = defaultPriorScale) {
        threshold = 1 / alpha
        if t.isInfinite {
            evidence = .infinity
        } else {
            let spread = 1 + effectiveCount * g
            let logE = -0.5 * log(spread) + (nu + 1) / 2 * (log1p(t * t / nu) - log1p(t * t / (nu * spread)))
            evidence = exp(logE)
        }
        if evidence >= threshold, t != 0 {
            decision = (t < 0) == expectsBelow ? .supported : .falsified
        } else {
            decision = .keepGoing
        }
    }

    /// The sequential test on a Student, paired or one-sample t-test (for two groups the Bayes factor
    /// is defined on Student's pooled t, so pass `TTest.student`, not Welch's).
    public init(_ test: TTest, alpha: Double, expectsBelow: Bool, priorScale g: Double = defaultPriorScale) {
        switch test.kind {
        case .welch, .student:
            let (a, b) = (Double(test.countA), Double(test.countB))
            self.init(t: test.t, degreesOfFreedom: a + b - 2, effectiveCount: a * b / (a + b), alpha: alpha,
                      expectsBelow: expectsBelow, priorScale: g)
        case .paired, .oneSample:
            self.init(t: test.t, degreesOfFreedom: test.degreesOfFreedom, effectiveCount: Double(test.countA), alpha: alpha,
                      expectsBelow: expectsBelow, priorScale: g)
        }
    }
}
