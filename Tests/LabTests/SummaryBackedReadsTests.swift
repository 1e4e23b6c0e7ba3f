import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import Lab
@testable import Report

/// A verdict judged and a report written from the summary cache equal those from every record read
/// whole (issue 14 §3), and a damaged cache changes nothing but its own rebuilding.
@Suite struct SummaryBackedReadsTests {
    @Test func theCacheJudgesAndReportsAsTheFullReadDoesAndSurvivesDamage() throws {
        try withScratchJournal { journal, folder in
            try addSmallDataset(journal, folder: folder, rows: 40)
            let runner = TrainingRunner(journal: journal)
            for seed in 1...40 {
                for lr in [0.01, 0.5] {
                    _ = try runner.train(TrainRequest(dataset: "small", model: "linear", parameters: ["epochs": 1, "lr": .number(lr), "seed": .number(Double(seed))]))
                }
            }
            // A run that diverges (status "diverged", left out of every group) beside the 80: a regression
            // on unscaled features with a large step.
            var unscaled = "a,b,y\n"
            for row in 0..<200 {
                let a = Double(row % 97), b = Double((row * 37) % 1000)
                unscaled += "\(a),\(b),\(a * 300 + b * 50 + Double(row % 13) * 80)\n"
            }
            _ = try journal.addDataset(file: try writeFile(folder, "unscaled.csv", unscaled), name: "unscaled", label: "y")
            _ = try runner.train(TrainRequest(dataset: "unscaled", model: "linear", parameters: ["lr": 1, "normalize": "none"]))
            _ = try journal.commit(message: "81 runs")
            let state = try #require(try journal.committedState())
            // A verdict takes the tip's experiments from the run index, in the order walking the tree gives.
            let walked = try journal.recordPaths(in: state).filter { $0.category == JournalLayout.experiments }.map(\.id)
            #expect(walked.count == 81)
            #expect(try RunIndex(journal: journal).experiments(inTreeOf: state) == walked)
            let datasets = try #require(try journal.repository.entry(at: JournalLayout.datasets, in: state))
            #expect(try RunIndex(journal: journal).experiments(inTreeOf: TreeID(datasets.id)) == nil, "not a ref's tree: the caller walks it")
            let hypothesis = Hypothesis(name: "h", statement: "s", predictions: try [
                "mean(val_loss | lr=0.5, dataset=small) < mean(val_loss | lr=0.01, dataset=small)",
                "median(val_accuracy | dataset=small, model=linear) > 0.3",
                "prob(val_loss | lr=0.01 < lr=0.5) > 0.5",
                "mean(val_loss) < 100",
            ].map(PredictionParser.parse), verdict: nil)
            let evaluator = VerdictEvaluator(datasetNames: try journal.datasetIDs(in: state))
            func judged(_ experiments: [ExperimentRecord]) throws -> [UInt8] {
                CanonicalJSON.bytes(try evaluator.judge(hypothesis, experiments: experiments).json)
            }
            // The verdict's own read: columns straight from the cache's records.
            func judgedByColumns() throws -> [UInt8] {
                CanonicalJSON.bytes(try evaluator.judge(hypothesis, experiments: try journal.experimentColumns(in: state)).json)
            }
            func described(_ experiments: [ExperimentRecord]) -> [String] {
                experiments.map { record in
                    let metrics = record.metrics.compactMapValues(\.numberValue).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    return [record.id.hex, record.runKey.hex, record.datasetID?.hex ?? "-", record.run["status"]?.stringValue ?? "ok",
                            String(decoding: CanonicalJSON.bytes(.object(record.params)), as: UTF8.self), metrics.joined(separator: ",")].joined(separator: " ")
                }.sorted()
            }
            let full = try journal.experiments(in: state, parts: .forVerdict)
            #expect(full.count == 81)
            #expect(full.contains { $0.run["status"]?.stringValue == "diverged" })
            let expected = try judged(full)
            let cachePath = journal.path + "/xj/summaries"

            let first = try journal.experimentsForVerdict(in: state)
            #expect(described(first) == described(full))
            #expect(try judged(first) == expected, "the first call (summaries read from the objects, then cached)")
            let written = try #require(FileManager.default.contents(atPath: cachePath))
            #expect(try judged(try journal.experimentsForVerdict(in: state)) == expected, "from the cache")
            #expect(try judgedByColumns() == expected, "by columns from the cache")

            // A flipped digit inside one line fails its checksum: that line is read from the objects, the file rebuilt.
            var damaged = [UInt8](written)
            let middle = damaged.count / 2
            damaged[middle] = damaged[middle] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            try Data(damaged).write(to: URL(fileURLWithPath: cachePath))
            #expect(try judgedByColumns() == expected, "by columns with a damaged line")
            #expect(FileManager.default.contents(atPath: cachePath) == written, "rebuilt as it was")
            try Data(damaged).write(to: URL(fileURLWithPath: cachePath))
            #expect(try judged(try journal.experimentsForVerdict(in: state)) == expected, "with a damaged line")
            #expect(FileManager.default.contents(atPath: cachePath) == written, "rebuilt as it was")
            #expect(described(try journal.experimentsForVerdict(in: state)) == described(full))
            // A torn append and a foreign file are thrown away too.
            try Data(written.prefix(written.count - 40)).write(to: URL(fileURLWithPath: cachePath))
            #expect(try judged(try journal.experimentsForVerdict(in: state)) == expected, "with a torn last line")
            try Data(written.prefix(written.count - 40)).write(to: URL(fileURLWithPath: cachePath))
            #expect(try judgedByColumns() == expected, "by columns with a torn last line")
            try FileManager.default.removeItem(atPath: cachePath)
            #expect(try judgedByColumns() == expected, "by columns with no cache")
            try Data("xj-summaries 9\n".utf8).write(to: URL(fileURLWithPath: cachePath))
            #expect(try judged(try journal.experimentsForVerdict(in: state)) == expected, "with a cache of another version")
            #expect(FileManager.default.contents(atPath: cachePath) == written, "rebuilt as it was")

            // The report: its columns read from the cache, with a table of 10 rows, is the page made from the
            // 81 records read whole, with every row read whole.
            let date = Date(timeIntervalSince1970: 1_800_000_000)
            let tip = try journal.repository.commit(try #require(try journal.head(of: "main")))
            let fromSummaries = ReportPage.html([try ReportLine(journal: journal, branch: "main", detailedRows: 10)], generated: date, tableRows: 10)
            let whole = ReportPage.html([try ReportLine(journal: journal, branch: "main", tip: tip, columns: ExperimentColumns(records: try journal.experiments(in: state, parts: .all)),
                                                        detailedRows: .max)], generated: date, tableRows: 10)
            #expect(fromSummaries == whole)
            #expect(fromSummaries.contains("<figure class=\"plot grid\">"), "the grid over lr is drawn")
            #expect(fromSummaries.contains("The 10 with the lowest validation loss of 81 experiments"))
        }
    }
}
