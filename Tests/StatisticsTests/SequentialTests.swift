import Foundation
import Testing
import Training
@testable import Statistics

/// The sequential t-test: its e-value against a direct integration with scipy, and its false-positive
/// rate under repeated looks against the naive re-test's.
@Suite struct SequentialTests {
    @Test func evidenceMatchesTheIntegratedDensityRatio() {
        let cases = Reference.cases("sequential")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let test = SequentialTTest(t: c.number("t"), degreesOfFreedom: c.number("nu"), effectiveCount: c.number("n_eff"),
                                       alpha: 0.05, expectsBelow: true, priorScale: c.number("g"))
            #expect(close(test.evidence, c.number("evidence")), "case \(index): \(test.evidence) vs \(c.number("evidence"))")
        }
    }

    @Test func decisionFollowsTheDirection() {
        let below = SequentialTTest(t: -9, degreesOfFreedom: 18, effectiveCount: 5, alpha: 0.05, expectsBelow: true)
        #expect(below.decision == .supported)
        let against = SequentialTTest(t: 9, degreesOfFreedom: 18, effectiveCount: 5, alpha: 0.05, expectsBelow: true)
        #expect(against.decision == .falsified)
        let weak = SequentialTTest(t: 1.5, degreesOfFreedom: 18, effectiveCount: 5, alpha: 0.05, expectsBelow: true)
        #expect(weak.decision == .keepGoing)
    }

    /// Under the null (both arms from one normal law), 20 looks after adding one seed to each arm each
    /// time (from 3 to 22 per arm): stopping at the first look whose verdict is not "keep going" is a
    /// false positive. The sequential mode stays ≤ α; the naive re-run of the one-sided Welch test in the
    /// stated direction does not.
    @Test(.tags(.slow)) func repeatedLooksKeepTheFalsePositiveRateBelowAlpha() {
        var generator = SeededGenerator(seed: 99)
        func normal() -> Double {
            let u = 1 - generator.nextUnitDouble(), v = generator.nextUnitDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let simulations = 2000, looks = 20, alpha = 0.05
        var sequentialStops = 0, naiveStops = 0
        for _ in 0..<simulations {
            var a = (0..<2).map { _ in normal() }, b = (0..<2).map { _ in normal() }
            var sequentialStopped = false, naiveStopped = false
            for _ in 0..<looks {
                a.append(normal())
                b.append(normal())
                let student = TTest.student(a, b)!
                if SequentialTTest(student, alpha: alpha, expectsBelow: true).decision != .keepGoing { sequentialStopped = true }
                if TTest.welch(a, b)!.pLess < alpha { naiveStopped = true }
            }
            if sequentialStopped { sequentialStops += 1 }
            if naiveStopped { naiveStops += 1 }
        }
        let sequentialRate = Double(sequentialStops) / Double(simulations)
        let naiveRate = Double(naiveStops) / Double(simulations)
        #expect(sequentialRate <= alpha, "sequential false-positive rate \(sequentialRate)")
        #expect(naiveRate > 2 * alpha, "naive false-positive rate \(naiveRate)")
    }
}
