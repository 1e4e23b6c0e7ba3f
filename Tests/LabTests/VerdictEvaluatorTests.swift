import Testing
@testable import Journal
@testable import JournalStore
@testable import Lab

@Suite struct VerdictEvaluatorTests {
    static let digits = TreeID(ObjectID(bytes: [UInt8](repeating: 0xd1, count: 20)))
    static let wine = TreeID(ObjectID(bytes: [UInt8](repeating: 0x3e, count: 20)))

    /// One experiment on `dataset`; replicates differ in `seed` only.
    func experiment(_ index: Int, dropout: Double, loss: Double, accuracy: Double, lr: Double = 0.001,
                    dataset: TreeID = digits, status: String = "ok") -> ExperimentRecord {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[0] = UInt8(index)
        let id = TreeID(ObjectID(bytes: bytes))
        return ExperimentRecord(id: id, runKey: id, datasetID: dataset,
                                params: ["dropout": .number(dropout), "hidden": [256], "lr": .number(lr), "seed": .number(Double(index))],
                                metrics: ["val_loss": .number(loss), "val_accuracy": .number(accuracy)], curves: [:], run: ["status": .string(status)], weights: nil)
    }

    func hypothesis(_ predictions: [String]) throws -> Hypothesis {
        Hypothesis(name: "h", statement: "s", predictions: try predictions.map(PredictionParser.parse), verdict: nil)
    }

    var runs: [ExperimentRecord] {
        let with = [0.081, 0.079, 0.085, 0.083, 0.080, 0.078, 0.084, 0.082]
        let without = [0.104, 0.101, 0.107, 0.103, 0.106, 0.102, 0.105, 0.108]
        return with.enumerated().map { experiment($0, dropout: 0.5, loss: $1, accuracy: 0.97) }
            + without.enumerated().map { experiment(10 + $0, dropout: 0, loss: $1, accuracy: 0.975) }
    }

    @Test func supportedFalsifiedAndInconclusive() throws {
        let verdict = try VerdictEvaluator().judge(try hypothesis([
            "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)",
            "mean(val_loss | dropout=0.5) > mean(val_loss | dropout=0)",
            "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0) - 0.0229",
            "mean(val_loss | dropout=0.9) < mean(val_loss | dropout=0)",
            "mean(val_loss | dropout=0.5) < 0.2",
        ]), experiments: runs)
        #expect(verdict.results.map(\.status) == [.supported, .falsified, .inconclusive, .inconclusive, .supported])
        let first = try #require(verdict.results[0].evidence)
        // scipy: ttest_ind(with, without, equal_var=False) → t = −18.7794213613377, df = 14.
        #expect(abs(try #require(first.t) - -18.7794213613377) < 1e-9)
        #expect(first.name == "Welch t-test" && !verdict.results[0].paired)
        #expect(verdict.results[2].runsNeeded != nil)
        #expect(verdict.results[3].reason == "no experiment matches mean(val_loss | dropout=0.9)")
        #expect(verdict.status == "mixed")
        #expect(verdict.summary == "verdict on h: mixed (2 supported, 1 falsified, 2 inconclusive)")
    }

    /// One run a side decides nothing either way (it used to falsify when the comparison failed: a
    /// silent wrong answer, found with the RNN study's reduced form, where noise alone picked the side).
    @Test func tooFewRunsDecideNothingWhicheverWayTheComparisonGoes() throws {
        let two = [experiment(1, dropout: 0.5, loss: 0.2, accuracy: 0.9), experiment(2, dropout: 0, loss: 0.1, accuracy: 0.9)]
        let verdict = try VerdictEvaluator().judge(try hypothesis([
            "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)",
            "mean(val_loss | dropout=0.5) > mean(val_loss | dropout=0)",
            "prob(val_loss | dropout=0.5 < dropout=0) > 0.5",
        ]), experiments: two)
        #expect(verdict.results.map(\.status) == [.inconclusive, .inconclusive, .inconclusive])
        #expect(verdict.results[0].reason == "the comparison fails, but a test needs at least 2 runs on each side")
        #expect(verdict.results[1].reason == "the comparison holds, but a test needs at least 2 runs on each side")
        #expect(verdict.status == "open")
    }

    /// The Guide's mistake (issue 13 §2): a group that pools other conditions is not the stated comparison.
    @Test func pooledGroupsAreAmbiguousUnlessPooled() throws {
        let mixed = runs + [0.30, 0.35, 0.31].enumerated().map { experiment(30 + $0, dropout: 0, loss: $1, accuracy: 0.9, lr: 0.1) }
        let stated = try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"])
        let verdict = try VerdictEvaluator().judge(stated, experiments: mixed)
        #expect(verdict.results[0].status == .ambiguous)
        #expect(verdict.results[0].reason == "group `mean(val_loss | dropout=0)` pools 11 experiments that differ in lr (0.001, 0.1): " +
                "pin them in the selectors, or pass --pool to judge the pooled groups")
        #expect(verdict.status == "open")
        #expect(verdict.summary == "verdict on h: open (0 supported, 0 falsified, 0 inconclusive, 1 ambiguous)")
        #expect(try VerdictEvaluator(pool: true).judge(stated, experiments: mixed).results[0].status == .supported)
        let pinned = try hypothesis(["mean(val_loss | dropout=0.5, lr=0.001) < mean(val_loss | dropout=0, lr=0.001)"])
        #expect(try VerdictEvaluator().judge(pinned, experiments: mixed).results[0].status == .supported)
    }

    /// Groups of 8,192 experiments and more gather their conditions on several threads: a condition
    /// that differs in a single experiment, at either end, is still named, with the same values and
    /// "(unset)" as one block finds.
    @Test(arguments: [0, 9_999]) func largeGroupsStillNameAConditionThatDiffersOnce(at odd: Int) throws {
        func with(_ record: ExperimentRecord, _ changes: [String: JSONValue]) -> ExperimentRecord {
            ExperimentRecord(id: record.id, runKey: record.runKey, datasetID: record.datasetID, params: record.params.merging(changes) { $1 },
                             metrics: record.metrics, curves: [:], run: record.run, weights: nil)
        }
        var many = (0..<10_000).map { index in
            with(experiment(index % 250, dropout: 0.5, loss: 0.1 + Double(index % 7) * 0.001, accuracy: 0.9), ["seed": .number(Double(index))])
        }
        many[odd] = with(many[odd], ["lr": .number(0.1), "momentum": .number(0.9)])
        let stated = try hypothesis(["mean(val_loss | dropout=0.5) < 0.2"])
        let reason = try VerdictEvaluator().judge(stated, experiments: many).results[0].reason
        #expect(reason == "group `mean(val_loss | dropout=0.5)` pools 10000 experiments that differ in lr (0.001, 0.1), momentum ((unset), 0.9): " +
                "pin them in the selectors, or pass --pool to judge the pooled groups")
        // Columns built in two blocks and joined (as the summary cache's reader does on two threads) name
        // the same conditions with the same values as one pass, for the whole group and for each half.
        let whole = ExperimentColumns(records: many)
        var joined = ExperimentColumns(records: Array(many[..<3_333]))
        joined.append(contentsOf: ExperimentColumns(records: Array(many[3_333...])))
        #expect(joined.count == whole.count && joined.ids == whole.ids)
        for group in [Array(0..<10_000), Array(0..<5_000), Array(5_000..<10_000)] {
            #expect(VerdictEvaluator.conditions(group, joined) == VerdictEvaluator.conditions(group, whole))
        }
        #expect(try VerdictEvaluator().judge(stated, experiments: joined).json == VerdictEvaluator().judge(stated, experiments: whole).json)
    }

    @Test func groupsThatDifferInAnUnpinnedConditionAreAmbiguous() throws {
        let onWine = runs.map { run in run.params["dropout"] == .number(0) ? experiment(Int(run.params["seed"]!.numberValue!), dropout: 0,
                                                                                        loss: run.metrics["val_loss"]!.numberValue!, accuracy: 0.9, dataset: Self.wine) : run }
        let verdict = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"]), experiments: onWine)
        #expect(verdict.results[0].status == .ambiguous)
        #expect(verdict.results[0].reason.hasPrefix("the two groups also differ in dataset (d1d1d1d vs 3e3e3e3)"))
    }

    @Test func selectorsPinDatasetByNameOrIdAndStatus() throws {
        let both = runs + runs.map { run in experiment(40 + Int(run.params["seed"]!.numberValue!), dropout: run.params["dropout"]!.numberValue!,
                                                       loss: 0.5, accuracy: 0.5, dataset: Self.wine) }
        let evaluator = VerdictEvaluator(datasetNames: ["digits": Self.digits, "wine": Self.wine])
        let byName = try evaluator.judge(try hypothesis(["mean(val_loss | dropout=0.5, dataset=digits) < mean(val_loss | dropout=0, dataset=digits)"]), experiments: both)
        #expect(byName.results[0].status == .supported && byName.results[0].countLeft == 8)
        let byID = try evaluator.judge(try hypothesis(["mean(val_loss | dataset=3e3e) > 0.4"]), experiments: both)
        #expect(byID.results[0].countLeft == 16 && byID.results[0].status == .ambiguous && byID.results[0].reason.contains("differ in dropout (0, 0.5)"))

        let withDiverged = runs + [experiment(50, dropout: 0.5, loss: 0.01, accuracy: 0.1, status: "diverged")]
        let judged = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"]), experiments: withDiverged)
        #expect(judged.results[0].countLeft == 8 && judged.results[0].reason.hasSuffix("; 1 diverged or failed run left out (3200000 diverged)"))
        let diverged = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | status=diverged) < 1"]), experiments: withDiverged)
        #expect(diverged.results[0].countLeft == 1)
    }

    /// Issue 13 §3: `p(opposite)=0.05` was printed for 0.0496; a rounded p never crosses α.
    @Test(arguments: [(0.0496, 0.05, "0.0496"), (0.04996, 0.05, "0.04996"), (0.0501, 0.05, "0.0501"), (0.00096, 0.05, "0.00096"),
                      (0.9987, 0.05, "0.999"), (0.0099, 0.01, "0.0099"), (0.00999, 0.01, "0.00999")])
    func pValuesNeverRoundAcrossAlpha(_ p: Double, _ alpha: Double, _ text: String) {
        #expect(PValueFormat.text(p, alpha: alpha) == text)
    }

    /// The one-sided bound shown beside a verdict matches its test: it excludes the margin exactly when the test rejects.
    @Test func oneSidedBoundAgreesWithTheTest() throws {
        let predictions = ["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)", "mean(val_loss | dropout=0.5) > mean(val_loss | dropout=0)",
                           "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0) - 0.0229", "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0) - 0.03"]
        for result in try VerdictEvaluator().judge(try hypothesis(predictions), experiments: runs).results {
            let bound = try #require(result.bound)
            let rejects = min(try #require(result.pStated), try #require(result.pOpposite)) < 0.05
            let excludes = result.decidingBelow ? bound < result.margin : bound > result.margin
            #expect(rejects == excludes, "\(result.prediction.text): bound \(bound), margin \(result.margin)")
            #expect(result.right != nil && result.right! > 0.1, "right is the mean itself, not the mean plus the margin")
        }
    }

    @Test func unknownMetricIsAnError() throws {
        #expect(throws: LabError.self) { try VerdictEvaluator().judge(try hypothesis(["mean(val_los) < 1"]), experiments: runs) }
    }

    /// The same seeds under both conditions: the paired t-test on the per-seed differences.
    /// scipy: ttest_rel(a, b) with a = 0.30 + 0.01·i + e_i, b = 0.31 + 0.01·i + e'_i below → t, df = 5.
    @Test func sharedSeedsArePairedUnlessUnpaired() throws {
        let a = [0.301, 0.312, 0.318, 0.333, 0.342, 0.349], b = [0.309, 0.321, 0.330, 0.341, 0.350, 0.361]
        let runs = a.enumerated().map { experiment($0, dropout: 0.5, loss: $1, accuracy: 0.9) }
            + b.enumerated().map { experiment($0, dropout: 0, loss: $1, accuracy: 0.9) }
        let stated = try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"])
        let paired = try VerdictEvaluator().judge(stated, experiments: runs).results[0]
        #expect(paired.paired && paired.evidence?.name == "paired t-test")
        #expect(paired.status == .supported)
        // scipy.stats.ttest_rel(a, b): statistic −11.78329978597474, df 5.
        #expect(abs(try #require(paired.evidence?.t) - -11.78329978597474) < 1e-9)
        let unpaired = try VerdictEvaluator(unpaired: true).judge(stated, experiments: runs).results[0]
        // Between-seed spread swamps the difference: Welch's test cannot decide.
        #expect(!unpaired.paired && unpaired.evidence?.name == "Welch t-test" && unpaired.status == .inconclusive)
        #expect(paired.lines.contains { $0.hasPrefix("t = -11.8, df = 5.0") })
    }

    /// Two marginal predictions (p < α alone) are withdrawn by Holm (adjusted p = 2p ≥ α); a marginal one
    /// beside a clear one keeps its decision (Holm compares the largest p with α itself).
    @Test func holmAdjustsSeveralPredictions() throws {
        let losses = [0.20, 0.25, 0.22, 0.27, 0.21, 0.26], others = [0.24, 0.285, 0.255, 0.30, 0.245, 0.275]
        let runs = losses.enumerated().map { experiment($0, dropout: 0.5, loss: $1, accuracy: 0.9) }
            + others.enumerated().map { experiment(20 + $0, dropout: 0, loss: $1, accuracy: 0.9) }
        let single = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"]), experiments: runs)
        let p = try #require(single.results[0].pStated)
        #expect(p < 0.05 && p > 0.025 && single.results[0].status == .supported && single.results[0].holm == nil)
        let two = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)",
                                                               "mean(val_loss | dropout=0.5) <= mean(val_loss | dropout=0)"]), experiments: runs)
        #expect(two.results.map(\.status) == [.inconclusive, .inconclusive])
        #expect(two.results[0].holm?.count == 2 && abs((two.results[0].holm?.adjustedP ?? 0) - 2 * p) < 1e-12)
        #expect(two.results[0].reason.contains("Holm"))
        let beside = try VerdictEvaluator().judge(try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)",
                                                                  "mean(val_loss | dropout=0.5) < 0.5"]), experiments: runs)
        #expect(beside.results.map(\.status) == [.supported, .supported])
        #expect(beside.results[0].holm?.level == 0.05 && beside.results[1].holm?.level == 0.025)
    }

    @Test func mediansAndIQMsAreJudgedByTheBootstrap() throws {
        let verdict = try VerdictEvaluator().judge(try hypothesis([
            "iqm(val_loss | dropout=0.5) < iqm(val_loss | dropout=0)",
            "median(val_loss | dropout=0.5) > median(val_loss | dropout=0)",
        ]), experiments: runs)
        #expect(verdict.results.map(\.status) == [.supported, .falsified])
        #expect(verdict.results[0].evidence?.name == "bootstrap test of the IQM")
        // Every resample of 8 vs 8 separated values keeps the order: p = 1/(B + 1).
        #expect(verdict.results[0].pStated == 1.0 / 10_001)
        // iqm of 8 values: the mean of the middle 4.
        #expect(abs((verdict.results[0].left ?? 0) - (0.080 + 0.081 + 0.082 + 0.083) / 4) < 1e-12)
    }

    /// Bootstrap tests need five runs a side: with three, every resample of separated groups keeps their
    /// order and the bootstrap p would fall to 1/(B + 1).
    @Test func bootstrapTestsNeedFiveRunsASide() throws {
        let few = Array(runs.prefix(3)) + Array(runs.suffix(3))
        let verdict = try VerdictEvaluator().judge(try hypothesis(["median(val_loss | dropout=0.5) < median(val_loss | dropout=0)",
                                                                   "prob(val_loss | dropout=0.5 < dropout=0) > 0.75"]), experiments: few)
        #expect(verdict.results.map(\.status) == [.inconclusive, .inconclusive])
        #expect(verdict.results.allSatisfy { $0.evidence == nil && $0.reason.contains("at least 5 runs on each side") })
    }

    @Test func probabilityOfImprovementPredictions() throws {
        let verdict = try VerdictEvaluator().judge(try hypothesis([
            "prob(val_loss | dropout=0.5 < dropout=0) > 0.75",
            "prob(val_loss | dropout=0.5 > dropout=0) > 0.5",
        ]), experiments: runs)
        #expect(verdict.results[0].left == 1 && verdict.results[0].status == .supported)
        #expect(verdict.results[1].left == 0 && verdict.results[1].status == .falsified)
        #expect(verdict.results[0].lines[0] == "P(left < right) = 1 (n=8 + 8)   compared with 0.75")
    }

    @Test func sequentialHypothesesSayWhetherToStop() throws {
        var stated = try hypothesis(["mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)"])
        stated.sequential = true
        let clear = try VerdictEvaluator().judge(stated, experiments: runs).results[0]
        #expect(clear.sequential?.decision == .supported && clear.status == .supported)
        let few = Array(runs.prefix(2)) + Array(runs.suffix(2))
        let early = try VerdictEvaluator().judge(stated, experiments: few).results[0]
        // Two runs a side cannot reach an e-value of 20 however far apart they are, unless identical.
        #expect(early.sequential?.decision == .keepGoing && early.status == .inconclusive)
        #expect(early.reason.hasPrefix("sequential test: keep going"))
    }

    @Test func reJudgingAfterNewRunsWarnsUnlessSequential() throws {
        let earlier: JSONValue = ["status": "open", "experiments": 8, "looks": [4, 8]]
        let stated = Hypothesis(name: "h", statement: "s", predictions: [try PredictionParser.parse("mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)")], verdict: earlier)
        let verdict = try VerdictEvaluator().judge(stated, experiments: runs)
        #expect(verdict.looks == [4, 8, 16])
        #expect(verdict.lookWarning?.hasPrefix("look 3 at this hypothesis (earlier verdicts on 4, 8 experiments)") == true)
        var sequential = stated
        sequential.sequential = true
        #expect(try VerdictEvaluator().judge(sequential, experiments: runs).lookWarning == nil)
    }
}
