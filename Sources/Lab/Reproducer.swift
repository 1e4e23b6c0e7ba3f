import Foundation
import Journal
import JournalStore

/// Runs a recorded experiment again from its recorded inputs (`xj reproduce`) and compares: the
/// built-in trainer on the recorded dataset and parameters, or an `xj run` program in a checkout of
/// its recorded code and input files. The new run is staged as a replicate of the same run key.
public struct Reproducer {
    public let journal: LabJournal

    public init(journal: LabJournal) { self.journal = journal }

    /// - Parameter tolerance: metrics and weights within |Δ| ≤ tolerance · max(1, |recorded|) count as identical.
    /// - Throws: `LabError`/`JournalError` when the inputs cannot be read or the run cannot start.
    public func reproduce(_ original: ExperimentRecord, tolerance: Double, echoOutput: Int32? = nil, echoErrors: Int32? = nil,
                          progress: ((Double) -> Void)? = nil) throws -> Reproduction {
        let repository = journal.repository
        let reproduced: ExperimentRecord
        var trainerNote: String?
        if let dataset = original.datasetID {
            guard let model = original.params["model"]?.stringValue else {
                throw JournalError.malformedRecord(path: "experiment \(original.id.short)", message: "inputs/params.json has no model")
            }
            if let entry = try repository.entry(at: "inputs/trainer.json", in: original.id) {
                let recorded = try JSONParser.parse(try repository.blob(BlobID(entry.id)), source: "inputs/trainer.json")
                if CanonicalJSON.bytes(recorded) != CanonicalJSON.bytes(TrainerVersion.json) {
                    trainerNote = "recorded with trainer \(recorded.displayText), reproduced with \(TrainerVersion.json.displayText) (a new run key)"
                }
            }
            let validation = try repository.entry(at: "inputs/validation", in: original.id).map { TreeID($0.id).hex }
            var parameters = original.params
            parameters["model"] = nil
            let request = TrainRequest(dataset: dataset.hex, validation: validation, model: model, parameters: parameters, force: true, strict: false)
            switch try TrainingRunner(journal: journal).train(request, batchProgress: progress) {
            case let .trained(record, _, _): reproduced = record
            case .alreadyRun: throw LabError.invalidData("the trainer did not run again")  // force: never happens
            }
        } else if let argv = original.command {
            reproduced = try runProgram(original, argv: argv, echoOutput: echoOutput, echoErrors: echoErrors)
        } else {
            throw JournalError.malformedRecord(path: "experiment \(original.id.short)", message: "has neither a dataset nor a command to run")
        }
        let differences = try compare(original, reproduced)
        let outcome: Reproduction.Outcome
        let identical = differences.allSatisfy { $0.delta == 0 } && original.weights == reproduced.weights
        if identical {
            outcome = .bitIdentical
        } else if differences.allSatisfy({ Reproduction.within($0, tolerance) }) {
            outcome = .withinTolerance
        } else {
            outcome = .diverged
        }
        return Reproduction(original: original, reproduced: reproduced, outcome: outcome, tolerance: tolerance, differences: differences,
                            environmentChanges: Self.environmentChanges(original.run, reproduced.run), trainerNote: trainerNote)
    }

    /// Checks out the recorded code (as the working directory) and input files into a scratch folder and
    /// runs the recorded command there with the recorded parameters.
    func runProgram(_ original: ExperimentRecord, argv: [String], echoOutput: Int32?, echoErrors: Int32?) throws -> ExperimentRecord {
        let repository = journal.repository
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xj-reproduce-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var inputs: [String] = []
        if let files = try repository.entry(at: "inputs/files", in: original.id) {
            try TreeCheckout.write(TreeID(files.id), to: scratch + "/files", repository: repository)
            for entry in try repository.tree(TreeID(files.id)) { inputs.append(scratch + "/files/" + entry.name) }
        }
        var code: String?
        let work = scratch + "/work"
        if let tree = try repository.entry(at: "inputs/code", in: original.id) {
            code = scratch + "/code"
            try TreeCheckout.write(TreeID(tree.id), to: code!, repository: repository)
            try TreeCheckout.write(TreeID(tree.id), to: work, repository: repository)
        } else {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        }
        // The program finds its input files by name in its working directory, as it did beside its code.
        for input in inputs {
            let target = work + "/" + URL(fileURLWithPath: input).lastPathComponent
            if !FileManager.default.fileExists(atPath: target) { try FileManager.default.copyItem(atPath: input, toPath: target) }
        }
        var request = ProgramRequest(argv: argv, parameters: original.params, inputs: inputs, code: code, force: true)
        request.directory = work
        let runner = ProgramRunner(journal: journal)
        guard try runner.runKey(request) == original.runKey else {
            throw LabError.invalidData("the checked-out inputs of \(original.id.short) hash to another run key; the record cannot be reproduced as it is")
        }
        switch try runner.run(request, echoOutput: echoOutput, echoErrors: echoErrors) {
        case let .ran(record, _, _): return record
        case .alreadyRun: throw LabError.invalidData("the program did not run again")  // force: never happens
        }
    }

    /// Every numeric metric of either record, and the weights' largest difference.
    func compare(_ original: ExperimentRecord, _ reproduced: ExperimentRecord) throws -> [Reproduction.Difference] {
        var differences: [Reproduction.Difference] = []
        for name in Set(original.metrics.keys).union(reproduced.metrics.keys).sorted() {
            let (a, b) = (original.metrics[name]?.numberValue, reproduced.metrics[name]?.numberValue)
            let delta: Double
            if let a, let b { delta = a == b ? 0 : (a.isFinite && b.isFinite ? abs(a - b) : .infinity) } else { delta = a == nil && b == nil ? 0 : .infinity }
            if original.metrics[name]?.numberValue == nil && reproduced.metrics[name]?.numberValue == nil {
                // Text metrics: equal or not.
                if CanonicalJSON.bytes(original.metrics[name] ?? .null) == CanonicalJSON.bytes(reproduced.metrics[name] ?? .null) { continue }
            }
            differences.append(Reproduction.Difference(name: name, recorded: a, reproduced: b, delta: delta))
        }
        if original.weights != nil || reproduced.weights != nil {
            var delta = Double.infinity
            if let first = original.weights, let second = reproduced.weights {
                if first == second {
                    delta = 0
                } else if let a = Self.floats(try journal.repository.blob(first)), let b = Self.floats(try journal.repository.blob(second)), a.count == b.count {
                    delta = zip(a, b).reduce(0) { max($0, Double(abs($1.0 - $1.1))) }
                    if zip(a, b).contains(where: { !$0.isFinite || !$1.isFinite }) { delta = .infinity }
                }
            }
            differences.append(Reproduction.Difference(name: "weights", recorded: nil, reproduced: nil, delta: delta))
        }
        return differences
    }

    /// The float32 values of an `.npy` file as xj writes weights (version 1 header, little-endian `<f4`).
    static func floats(_ bytes: [UInt8]) -> [Float]? {
        guard bytes.count >= 10, bytes[0] == 0x93, bytes[6] == 1 else { return nil }
        let start = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
        guard start <= bytes.count, (bytes.count - start) % 4 == 0 else { return nil }
        return stride(from: start, to: bytes.count, by: 4).map { offset in
            Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
    }

    /// "blas.threads: 2 → 1" for each field of the fingerprint (xj version, BLAS, environment) that differs.
    static func environmentChanges(_ before: [String: JSONValue], _ after: [String: JSONValue]) -> [String] {
        func flattened(_ run: [String: JSONValue]) -> [String: String] {
            var fields: [String: String] = ["xj_version": run["xj_version"]?.displayText ?? "unknown", "host": run["host"]?.displayText ?? "unknown"]
            for group in ["blas", "environment"] {
                for (key, value) in run[group]?.objectValue ?? [:] { fields["\(group).\(key)"] = value.displayText }
            }
            return fields
        }
        let (a, b) = (flattened(before), flattened(after))
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            let (old, new) = (a[key] ?? "(not recorded)", b[key] ?? "(not recorded)")
            return old == new ? nil : "\(key): \(old) → \(new)"
        }
    }
}
