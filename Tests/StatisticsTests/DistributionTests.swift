import Testing
@testable import Statistics

/// Distributions against scipy.stats (`norm`, `t`, `nct`, `special.betainc`), 25–30 cases each.
@Suite struct DistributionTests {
    @Test func normalMatchesScipy() {
        let cases = Reference.cases("normal")
        #expect(cases.count >= 20)
        for c in cases {
            #expect(close(Normal.cdf(c.number("z")), c.number("cdf")), "Φ(\(c.number("z")))")
            let p = c.number("p")
            #expect(close(Normal.quantile(p), c.number("quantile"), 1e-8), "Φ⁻¹(\(p))")
        }
    }

    @Test func incompleteBetaMatchesScipy() {
        for c in Reference.cases("beta") {
            #expect(close(IncompleteBeta.regularized(c.number("x"), c.number("a"), c.number("b")), c.number("value")),
                    "I_\(c.number("x"))(\(c.number("a")), \(c.number("b")))")
        }
    }

    @Test func studentTMatchesScipy() {
        let cases = Reference.cases("student_t")
        #expect(cases.count >= 20)
        for c in cases {
            let (t, df) = (c.number("t"), c.number("df"))
            #expect(close(StudentT.cdf(t, degreesOfFreedom: df), c.number("cdf")), "cdf(\(t), \(df))")
            #expect(close(StudentT.survival(t, degreesOfFreedom: df), c.number("sf")), "sf(\(t), \(df))")
            #expect(close(StudentT.quantile(c.number("p"), degreesOfFreedom: df), c.number("quantile")), "ppf(\(c.number("p")), \(df))")
        }
    }

    @Test func noncentralTMatchesScipy() {
        let cases = Reference.cases("noncentral_t")
        #expect(cases.count >= 20)
        for c in cases {
            let (t, df, nc) = (c.number("t"), c.number("df"), c.number("nc"))
            #expect(close(NoncentralT.cdf(t, degreesOfFreedom: df, noncentrality: nc), c.number("cdf")), "nct.cdf(\(t), \(df), \(nc))")
        }
    }
}
