import Testing
@testable import Statistics

/// Holm against statsmodels' `multipletests(method="holm")` and a textbook example; power and
/// required n against statsmodels' `TTestIndPower` and `TTestPower`.
@Suite struct AdjustmentAndPowerTests {
    @Test func holmMatchesStatsmodels() {
        let cases = Reference.cases("holm")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let p = c.numbers("p")
            let adjusted = Holm.adjusted(p)
            for (actual, expected) in zip(adjusted, c.numbers("adjusted")) { #expect(close(actual, expected, 1e-12), "case \(index)") }
            #expect(Holm.rejected(p, alpha: 0.05) == (c["rejected"] as! [Bool]), "case \(index)")
            // The per-test levels give the same decisions as the step-down while it lasts.
            let levels = Holm.levels(p, alpha: 0.05)
            #expect(levels.min()! >= 0.05 / Double(p.count) - 1e-15 && levels.max()! <= 0.05)
        }
    }

    @Test func powerMatchesStatsmodels() {
        let cases = Reference.cases("power")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let alternative = TTestPower.Alternative(rawValue: c["alternative"] as! String)!
            let (d, n1, alpha) = (c.number("d"), c.number("n1"), c.number("alpha"))
            let independent = TTestPower.independent(effectSize: d, countA: n1, countB: n1 * c.number("ratio"), alpha: alpha, alternative: alternative)
            #expect(close(independent, c.number("power_ind")), "case \(index) independent \(independent) vs \(c.number("power_ind"))")
            let one = TTestPower.oneSample(effectSize: d, count: max(n1, 2), alpha: alpha, alternative: alternative)
            #expect(close(one, c.number("power_one")), "case \(index) one-sample")
            if c["n_ind"] != nil {
                #expect(TTestPower.requiredCount(effectSize: d, twoGroups: true, alpha: alpha, alternative: alternative) == Int(c.number("n_ind")), "case \(index) n per group")
                #expect(TTestPower.requiredCount(effectSize: d, twoGroups: false, alpha: alpha, alternative: alternative) == Int(c.number("n_one")), "case \(index) n")
            }
        }
    }

    @Test func noEffectNeedsNoCount() {
        #expect(TTestPower.requiredCount(effectSize: 0, twoGroups: true, alpha: 0.05, alternative: .larger) == nil)
        // The wrong direction never reaches power 0.8.
        #expect(TTestPower.requiredCount(effectSize: -0.5, twoGroups: true, alpha: 0.05, alternative: .larger, limit: 4096) == nil)
    }
}
