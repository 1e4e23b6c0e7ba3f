import Testing
@testable import Lab

/// Reference values from scipy 1.x (`scipy.stats.ttest_ind(a, b, equal_var=False)`, `stats.t.cdf`,
/// `stats.t.ppf`), computed once and pinned here; xj must match them to 1e-6.
@Suite struct StatisticsTests {
    struct WelchCase: Sendable {
        let a: [Double], b: [Double], t: Double, df: Double, pLess: Double, low: Double, high: Double
    }

    static let welch: [WelchCase] = [
        WelchCase(a: [0.081, 0.079, 0.085, 0.083, 0.08, 0.078, 0.084, 0.082], b: [0.104, 0.101, 0.107, 0.103, 0.106, 0.102, 0.105, 0.108], t: -18.7794213613377, df: 14.000000000000002, pLess: 1.260303960495959e-11, low: -0.02562681649625629, high: -0.020373183503743723),
        WelchCase(a: [1.0, 2.0, 3.0], b: [2.0, 3.0, 4.0, 5.0], t: -1.7320508075688774, df: 4.959183673469387, pLess: 0.07214652154197189, low: -3.731711481338788, high: 0.7317114813387882),
        WelchCase(a: [0.5, 0.7], b: [0.6, 0.9, 0.4], t: -0.1889822365046136, df: 2.9980879541108987, pLess: 0.4310881014264001, low: -0.594866676715851, high: 0.5282000100491844),
        WelchCase(a: [10.1, 9.9, 10.3, 10.0, 9.8], b: [10.0, 10.2, 9.7, 10.4, 10.1, 9.9], t: -0.22852652225355657, df: 8.991758056919869, pLess: 0.4121747626736094, low: -0.32700796971282914, high: 0.2670079697128304),
        WelchCase(a: [3.2, 3.9, 4.1, 2.8, 3.5, 3.3, 3.7], b: [5.1, 4.2, 6.3, 4.8], t: -3.387465122670723, df: 3.886406393172432, pLess: 0.014426044231463325, low: -2.9266529980577367, high: -0.2733470019422646),
        WelchCase(a: [0.97, 0.975, 0.972], b: [0.968, 0.971, 0.969], t: 1.7650452162436563, df: 3.297560975609756, pLess: 0.9163017441232749, low: -0.0021432047503841907, high: 0.008143204750384197),
        WelchCase(a: [1.5, 1.6], b: [1.4, 1.45], t: 2.2360679774997916, df: 1.4705882352941175, pLess: 0.9006363055327371, low: -0.22092614150355327, high: 0.4709261415035537),
        WelchCase(a: [100, 102, 98, 101, 99, 103], b: [90, 95, 85, 92, 88, 97], t: 4.739639583458726, df: 6.71683109348892, pLess: 0.9988208462040108, low: 4.636805784355287, high: 14.02986088231137),
        WelchCase(a: [0.2, 0.25, 0.22, 0.21, 0.24], b: [0.2, 0.26, 0.23, 0.22, 0.25], t: -0.5656854249492387, df: 7.8462142016477046, pLess: 0.2937076246630965, low: -0.04072341886806149, high: 0.024723418868061474),
        WelchCase(a: [5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5], b: [6.0, 6.1], t: 1.6059101370939328, df: 7.178977272727271, pLess: 0.924369159959537, low: -0.32552947494460716, high: 1.7255294749446075),
        WelchCase(a: [0.001, 0.002, 0.0015], b: [0.003, 0.0025, 0.0035, 0.004], t: -4.041451884327379, df: 4.959183673469387, pLess: 0.005038471673994443, low: -0.0028658557406693935, high: -0.0006341442593306055),
    ]

    @Test(arguments: welch) func welchMatchesScipy(_ reference: WelchCase) throws {
        let test = try #require(WelchTest(reference.a, reference.b))
        #expect(abs(test.t - reference.t) < 1e-6)
        #expect(abs(test.degreesOfFreedom - reference.df) < 1e-6)
        #expect(abs(test.pLess - reference.pLess) < 1e-6)
        #expect(abs(test.pGreater - (1 - reference.pLess)) < 1e-6)
        #expect(abs(test.confidenceLow - reference.low) < 1e-6)
        #expect(abs(test.confidenceHigh - reference.high) < 1e-6)
    }

    @Test(arguments: [(0.5, 3.0, 0.6742760175759245), (-1.2, 7.5, 0.13333446139661093), (2.5, 1.0, 0.8788810584091566), (0.0, 10.0, 0.5),
                      (-3.1, 2.2, 0.03997670355599325), (1.96, 1000.0, 0.9748634075221256), (4.0, 5.0, 0.9948382922595843)])
    func cdfMatchesScipy(_ t: Double, _ df: Double, _ expected: Double) {
        #expect(abs(StudentT.cdf(t, degreesOfFreedom: df) - expected) < 1e-9)
    }

    @Test(arguments: [(0.975, 5.0, 2.5705818356363146), (0.95, 12.3, 1.778672546238235), (0.5, 4.0, 0.0), (0.99, 2.0, 6.9645567342832715),
                      (0.025, 30.0, -2.042272456301238)])
    func quantileMatchesScipy(_ p: Double, _ df: Double, _ expected: Double) {
        #expect(abs(StudentT.quantile(p, degreesOfFreedom: df) - expected) < 1e-8)
    }

    @Test func powerEstimateGrowsAsTheEffectShrinks() throws {
        let big = try #require(WelchTest([1.0, 1.2, 0.9], [2.0, 2.1, 1.9]))
        let small = try #require(WelchTest([1.0, 1.2, 0.9], [1.1, 1.25, 1.0]))
        #expect(try #require(small.runsNeeded(alpha: 0.05)) > (try #require(big.runsNeeded(alpha: 0.05))))
    }
}
