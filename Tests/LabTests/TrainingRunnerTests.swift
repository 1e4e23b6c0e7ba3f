import Foundation
import Testing
import XJTestSupport
@testable import Journal
@testable import Lab

@Suite struct TrainingRunnerTests {
    @Test func trainsStagesAndRecognisesTheRerun() throws {
        try withScratchJournal { journal, _ in
            _ = try journal.addDataset(file: Fixtures.digitsPath, name: "digits", label: "target")
            let runner = TrainingRunner(journal: journal)
            let request = TrainRequest(dataset: "digits", model: "mlp", parameters: ["hidden": 32, "epochs": 3, "seed": 1])
            guard case let .trained(record, replicates, agrees) = try runner.train(request) else { Issue.record("not trained"); return }
            #expect(replicates.isEmpty && agrees == nil)
            #expect(record.metrics["val_accuracy"]!.numberValue! > 0.75)
            #expect(record.curves["val_loss"]?.arrayValue?.count == 3)
            #expect(record.params["hidden"] == [32] && record.params["lr"] == 0.001)
            #expect(try journal.stagedRecords().contains { $0.path == "experiments/\(record.runKey.hex.prefix(2))/\(record.runKey.hex)/\(record.id.hex)" })

            // The same inputs in another spelling: the same run key, nothing trained.
            let again = TrainRequest(dataset: "digits", model: "mlp", parameters: ["seed": 1.0, "epochs": 3, "hidden": [32.0], "lr": 1e-3])
            guard case let .alreadyRun(earlier) = try runner.train(again) else { Issue.record("trained again"); return }
            #expect(earlier.map(\.experiment) == [record.id.object])

            // --force: a replicate, bit-identical on one machine.
            var forced = again
            forced.force = true
            guard case let .trained(replicate, previous, agreement) = try runner.train(forced) else { Issue.record("not trained"); return }
            #expect(previous.map(\.id) == [record.id])
            #expect(agreement == true)
            #expect(replicate.weights == record.weights && replicate.id != record.id)

            // weights.npy is a float32 .npy that holds every parameter: 64·32 + 32 + 32·10 + 10.
            let bytes = try journal.repository.blob(record.weights!)
            #expect(Array(bytes.prefix(6)) == [0x93] + Array("NUMPY".utf8))
            #expect(String(decoding: bytes[10..<80], as: UTF8.self).contains("'shape': (2410,)"))
            _ = try journal.commit(message: "two replicates")
            #expect(try journal.fsck(full: true).isClean)
        }
    }

    @Test func changingAnyInputChangesTheRunKey() throws {
        try withScratchJournal { journal, folder in
            _ = try journal.addDataset(file: try writeFile(folder, "a.csv", "x,y\n1,0\n2,1\n3,0\n4,1\n"), name: "a", label: "y")
            _ = try journal.addDataset(file: try writeFile(folder, "b.csv", "x,y\n1,0\n2,1\n3,0\n5,1\n"), name: "b", label: "y")
            let runner = TrainingRunner(journal: journal)
            func key(_ dataset: String, _ model: String, _ parameters: [String: JSONValue]) throws -> TreeID {
                try runner.prepare(TrainRequest(dataset: dataset, model: model, parameters: parameters)).3
            }
            let base = try key("a", "mlp", ["lr": 0.01])
            #expect(try key("a", "mlp", ["lr": 0.01, "epochs": 20]) == base)
            #expect(try key("a", "mlp", ["lr": 0.02]) != base)
            #expect(try key("b", "mlp", ["lr": 0.01]) != base)
            #expect(try key("a", "linear", ["lr": 0.01]) != base)
        }
    }

    /// Bad data: one clear message naming dataset, line and column; nothing staged.
    @Test(arguments: [
        ("one.csv", "x,y\n1,a\n2,a\n3,a\n", [:] as [String: JSONValue], "dataset one: the label `y` has one class (a); a classifier needs at least two"),
        ("gap.csv", "x,z,y\n1,1,0\n2,,1\n3,1,0\n4,2,1\n5,2,0\n6,3,1\n", [:], "dataset gap line 3, column `z`: the value is missing (impute=mean fills it with the training mean)"),
        ("cat.csv", "x,colour,y\n1,red,0\n2,blue,1\n", [:], "dataset cat: column `colour` is categorical; xj train needs numeric features (encode it as numbers first)"),
    ])
    func badData(_ name: String, _ text: String, _ parameters: [String: JSONValue], _ message: String) throws {
        try withScratchJournal { journal, folder in
            let added = try journal.addDataset(file: try writeFile(folder, name, text), name: nil, label: "y")
            _ = try journal.commit(message: "data")
            let before = try snapshot(of: journal.path)
            let runner = TrainingRunner(journal: journal)
            do {
                _ = try runner.train(TrainRequest(dataset: added.name, model: "mlp", parameters: parameters.merging(["val_fraction": 0.5]) { a, _ in a }))
                Issue.record("expected an error")
            } catch {
                #expect("\(error)" == message)
            }
            #expect(try journal.stagedRecords().isEmpty)
            #expect(try snapshot(of: journal.path) == before)
        }
    }

    @Test func imputeMeanTrainsThrough() throws {
        try withScratchJournal { journal, folder in
            _ = try journal.addDataset(file: try writeFile(folder, "gap.csv", "x,z,y\n1,1,0\n2,,1\n3,1,0\n4,2,1\n5,2,0\n6,3,1\n"), name: nil, label: "y")
            let outcome = try TrainingRunner(journal: journal).train(TrainRequest(dataset: "gap", model: "linear", parameters: ["impute": "mean", "val_fraction": 0.5, "epochs": 2]))
            guard case .trained = outcome else { Issue.record("not trained"); return }
        }
    }

    /// An .npy file of `descr` elements (`<f4`, `<f8`, `<i4`, `|u1`), C order, written as numpy does.
    static func npy(_ descr: String, rows: Int, columns: Int, values: [Double]) -> [UInt8] {
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(rows), \(columns)), }".utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(UInt8(ascii: " ")) }
        header.append(UInt8(ascii: "\n"))
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 255), UInt8(header.count >> 8)] + header
        for value in values {
            switch descr {
            case "<f4": withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes += $0 }
            case "<f8": withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            case "<i4": withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 }
            default: bytes.append(UInt8(value))
            }
        }
        return bytes
    }

    /// An .npy dataset trains in every element type: loading it rescans the data and checks the task
    /// and classes against the stored manifest, which must agree (a classification label in float32
    /// was refused as "the journal is damaged", since loading skipped the label's values).
    @Test func npyDatasetsOfEveryElementTypeTrain() throws {
        try withScratchJournal { journal, folder in
            var values: [Double] = []
            for row in 0..<90 {
                let label = Double(row % 3)
                values += [label * 2 + Double(row % 5) * 0.25, Double(row % 7), label - Double(row % 4) * 0.5, label]
            }
            let runner = TrainingRunner(journal: journal)
            for descr in ["<f4", "<f8", "<i4", "|u1"] {
                let cells = descr == "|u1" || descr == "<i4" ? values.map { ($0 * 4).rounded() + 8 } : values
                let name = "d" + descr.filter(\.isLetter) + descr.filter(\.isNumber)
                let path = try writeFile(folder, name + ".npy", Self.npy(descr, rows: 90, columns: 4, values: cells))
                _ = try journal.addDataset(file: path, name: name, label: nil)
                let dataset = try journal.dataset(named: name)
                #expect(dataset.manifest.task == .classification && dataset.manifest.classes.count == 3, "\(descr)")
                #expect(try journal.table(for: dataset).names.count == 4, "\(descr)")
                let request = TrainRequest(dataset: name, model: "linear", parameters: ["epochs": 1, "seed": 1])
                guard case let .trained(record, _, _) = try runner.train(request) else { Issue.record("not trained: \(descr)"); continue }
                #expect(record.metrics["val_accuracy"]?.numberValue != nil, "\(descr)")
            }
            // A float64 label with fractions: regression, checked the same way.
            let fractions = (0..<60).flatMap { row in [Double(row % 9), Double(row) * 0.1 + 0.05] }
            let path = try writeFile(folder, "r.npy", Self.npy("<f8", rows: 60, columns: 2, values: fractions))
            _ = try journal.addDataset(file: path, name: "r", label: nil)
            #expect(try journal.dataset(named: "r").manifest.task == .regression)
            guard case let .trained(record, _, _) = try runner.train(TrainRequest(dataset: "r", model: "linear", parameters: ["epochs": 1, "seed": 1])) else {
                Issue.record("regression not trained"); return
            }
            #expect(record.metrics["val_r2"]?.numberValue != nil)
        }
    }
}
