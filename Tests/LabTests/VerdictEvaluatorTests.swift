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
        let first = try #require(verdict.results[0].test)
        // scipy: ttest_ind(with, without, equal_var=False) → t = −18.7794213613377, df = 14.
        #expect(abs(first.t - -18.7794213613377) < 1e-9)
        #expect(verdict.results[2].runsNeeded != nil)
        #expect(verdict.results[3].reason == "no experiment matches mean(val_loss | dropout=0.9)")
        #expect(verdict.status == "mixed")
        #expect(verdict.summary == "verdict on h: mixed (2 supported, 1 falsified, 2 inconclusive)")
    }

    @Test func fewRunsFalsifyOnlyWhenTheComparisonFails() throws {
        let two = [experiment(1, dropout: 0.5, loss: 0.2, accuracy: 0.9), experiment(2, dropout: 0, loss: 0.1, accuracy: 0.9)]
        let verdict = try VerdictEvaluator().judge(try hypothesis([
            "mean(val_loss | dropout=0.5) < mean(val_loss | dropout=0)",
            "mean(val_loss | dropout=0.5) > mean(val_loss | dropout=0)",
        ]), experiments: two)
        #expect(verdict.results.map(\.status) == [.falsified, .inconclusive])
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
}
