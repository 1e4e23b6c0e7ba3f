import Testing
@testable import Statistics

/// t-tests, effect sizes and robust summaries against scipy.stats (`ttest_ind`, `ttest_rel`,
/// `ttest_1samp`, `trim_mean`) and statsmodels (`effectsize_smd`), 24 data sets.
@Suite struct TestStatisticTests {
    /// `shift`: scipy's one-sample interval is on the mean, xj's on mean − μ.
    func check(_ test: TTest?, _ expected: [String: Any], _ label: String, shift: Double = 0) {
        guard let test else { Issue.record("\(label): no test"); return }
        #expect(close(test.t, expected.number("t")), "\(label) t")
        #expect(close(test.degreesOfFreedom, expected.number("df")), "\(label) df")
        #expect(close(test.pLess, expected.number("p_less")), "\(label) p_less")
        #expect(close(test.pGreater, expected.number("p_greater")), "\(label) p_greater")
        let interval = test.interval(level: 0.95)
        #expect(close(interval.low + shift, expected.number("ci_low")), "\(label) ci_low")
        #expect(close(interval.high + shift, expected.number("ci_high")), "\(label) ci_high")
    }

    @Test func tTestsMatchScipy() {
        let cases = Reference.cases("t_tests")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let (a, b) = (c.numbers("a"), c.numbers("b"))
            check(TTest.welch(a, b), c.object("welch"), "case \(index) welch")
            check(TTest.student(a, b), c.object("student"), "case \(index) student")
            let paired = c.object("paired")
            let n = Int(paired.number("n"))
            if n >= 2 { check(TTest.paired(Array(a.prefix(n)), Array(b.prefix(n))), paired, "case \(index) paired") }
            let one = c.object("one_sample")
            check(TTest.oneSample(a, against: one.number("mu")), one, "case \(index) one-sample", shift: one.number("mu"))
        }
    }

    @Test func effectSizesAndSummariesMatchReferences() {
        for (index, c) in Reference.cases("t_tests").enumerated() {
            let (a, b) = (c.numbers("a"), c.numbers("b"))
            #expect(close(EffectSize.cohensD(a, b), c.number("cohens_d")), "case \(index) d")
            #expect(close(EffectSize.hedgesG(a, b), c.number("hedges_g")), "case \(index) g")
            #expect(close(Descriptive.interquartileMean(a), c.number("iqm_a")), "case \(index) iqm")
            #expect(close(Descriptive.median(a), c.number("median_a")), "case \(index) median")
        }
    }

    @Test func marginShiftsTheDifference() throws {
        let a = [1.0, 1.2, 0.9, 1.1], b = [0.5, 0.6, 0.4, 0.55]
        let plain = try #require(TTest.welch(a, b)), shifted = try #require(TTest.welch(a, b, margin: 0.5))
        #expect(close(shifted.difference, plain.difference - 0.5, 1e-12))
        #expect(shifted.t < plain.t)
        #expect(close(shifted.oneSidedBound(alpha: 0.05, upper: false) + 0.5, plain.oneSidedBound(alpha: 0.05, upper: false), 1e-12))
    }

    @Test func identicalRunsGiveACertainSign() throws {
        let test = try #require(TTest.welch([1, 1, 1], [2, 2, 2]))
        #expect(test.t == -.infinity)
        #expect(test.pLess == 0 && test.pGreater == 1)
    }

    @Test func mannWhitneyMatchesScipy() throws {
        let cases = Reference.cases("mann_whitney")
        #expect(cases.count >= 20)
        for (index, c) in cases.enumerated() {
            let method = MannWhitney.Method(rawValue: c["method"] as! String)!
            let test = try #require(MannWhitney(c.numbers("a"), c.numbers("b"), method: method))
            #expect(close(test.u, c.number("u")), "case \(index) U")
            #expect(close(test.pGreater, c.number("p_greater")), "case \(index) \(method) p_greater \(test.pGreater) vs \(c.number("p_greater"))")
            #expect(close(test.pLess, c.number("p_less")), "case \(index) \(method) p_less \(test.pLess) vs \(c.number("p_less"))")
            #expect(close(test.probabilityOfSuperiority, c.number("u") / Double(c.numbers("a").count * c.numbers("b").count)))
        }
    }

    @Test func probabilityOfSuperiorityCountsTiesAsHalf() throws {
        let test = try #require(MannWhitney([1, 2, 3], [2, 2]))
        // Pairs: (1,2)×2 lose, (2,2)×2 ties, (3,2)×2 win → (2 + 0.5·2)/6.
        #expect(close(test.probabilityOfSuperiority, 0.5, 1e-12))
        #expect(MannWhitney([], [1]) == nil)
    }
}
