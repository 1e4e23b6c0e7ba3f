import Testing
@testable import Journal
@testable import JournalStore
@testable import Lab

@Suite struct VerdictEvaluatorTests {
    func experiment(_ index: Int, dropout: Double, loss: Double, accuracy: Double) -> ExperimentRecord {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes[0] = UInt8(index)
        let id = TreeID(ObjectID(bytes: bytes))
        return ExperimentRecord(id: id, runKey: id, datasetID: id, params: ["dropout": .number(dropout), "hidden": [256]],
                                metrics: ["val_loss": .number(loss), "val_accuracy": .number(accuracy)], curves: [:], run: [:], weights: nil)
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
            "mean(val_loss | hidden=256) < 0.2",
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

    @Test func unknownMetricIsAnError() throws {
        #expect(throws: LabError.self) { try VerdictEvaluator().judge(try hypothesis(["mean(val_los) < 1"]), experiments: runs) }
    }
}
