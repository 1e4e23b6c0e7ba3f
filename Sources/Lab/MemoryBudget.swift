import Foundation
import Journal
import Training

/// The memory a training run will need, estimated from its configuration and the dataset's manifest
/// before anything is allocated, and the limit it must stay under: the machine's physical memory, or
/// `XJ_MEMORY_LIMIT` (bytes, or with a K, M, G or T suffix).
public enum MemoryBudget {
    /// What a run needs, in bytes, and which parameter's term is largest (to name it in a refusal).
    public struct Estimate: Sendable {
        public let bytes: Double
        public let dominantKey: String
    }

    /// Float32 bytes for: the data (loaded table and training copy), each parameter six times (weights,
    /// gradients, two optimizer moments, the last finite and the best copies), and per example of a
    /// batch (or of an evaluation batch of 1,024) each layer's activations, dropout masks and gradients.
    public static func estimate(_ configuration: TrainingConfiguration, features: Int, outputs: Int, rows: Int) -> Estimate {
        let sizes = [features] + configuration.hidden + [outputs]
        var parameters = 0.0
        for index in 1..<sizes.count { parameters += Double(sizes[index - 1]) * Double(sizes[index]) + Double(sizes[index]) }
        let units = sizes.dropFirst().reduce(0.0) { $0 + Double($1) }
        let batch = Double(max(min(configuration.batchSize, rows), 1))
        let perExample = 3 * units + Double(features)
        let data = 2 * Double(rows) * Double(features + 1)
        let model = 6 * parameters
        let buffers = (batch + Double(min(rows, 1024))) * perExample
        let key = buffers > model && configuration.batchSize > 1024 ? "batch_size" : (configuration.hidden.isEmpty ? "model" : "hidden")
        return Estimate(bytes: 4 * (data + model + buffers), dominantKey: key)
    }

    /// The limit: `XJ_MEMORY_LIMIT` when set, else the physical memory.
    /// - Throws: `LabError.invalidParameter` for an `XJ_MEMORY_LIMIT` that is not a size.
    public static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (bytes: Double, source: String) {
        if let text = environment["XJ_MEMORY_LIMIT"], !text.isEmpty {
            let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
            var digits = text.uppercased()
            var scale = 1.0
            if let last = digits.last, let unit = units[last] { scale = unit; digits.removeLast() }
            guard let value = Double(digits), value.isFinite, value > 0 else {
                throw LabError.invalidParameter(key: "XJ_MEMORY_LIMIT", message: "must be a size such as 8G or 512M, got \(text.debugDescription)")
            }
            return (value * scale, "XJ_MEMORY_LIMIT")
        }
        return (Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE))), "the physical memory")
    }

    /// Refuses a run whose estimate exceeds the limit, naming the parameter and both sizes.
    /// Refuses a language model whose batch tapes and parameters would not fit: per layer the forward
    /// keeps about ten B·T·H floats, plus the weights with their gradients and Adam's two moments.
    public static func checkLanguageModel(_ configuration: LanguageModelConfiguration, vocabulary: Int) throws {
        let h = Double(configuration.hidden), v = Double(vocabulary), positions = Double(configuration.batchSize * configuration.sequenceLength)
        let parameters = v * 4 * h + Double(configuration.layers - 1) * 8 * h * h + Double(configuration.layers) * 4 * h * h + h * v
        let bytes = 4 * (Double(configuration.layers) * 10 * positions * h + 3 * positions * v + 5 * parameters)
        let (limit, source) = try limit()
        guard bytes <= limit else {
            throw LabError.invalidParameter(key: "hidden", message: "with batch_size=\(configuration.batchSize), seq_len=\(configuration.sequenceLength) and layers=\(configuration.layers) needs about \(Int(bytes / 1_048_576)) MiB, more than \(source) allows (\(Int(limit / 1_048_576)) MiB)")
        }
    }

    public static func check(_ parameters: TrainingParameters, dataset: DatasetManifest) throws {
        let outputs: Int
        switch dataset.task {
        case .classification: outputs = dataset.classes.count <= 2 ? 1 : dataset.classes.count
        case .regression: outputs = 1
        }
        let needed = estimate(parameters.configuration, features: max(dataset.columns.count - 1, 1), outputs: outputs, rows: dataset.rows)
        let (limit, source) = try limit()
        guard needed.bytes <= limit else {
            let shown = needed.dominantKey == "model" ? "" : " (\(needed.dominantKey)=\(parameters.resolved[needed.dominantKey].map(CanonicalJSON.string) ?? "?"))"
            throw LabError.invalidParameter(key: needed.dominantKey == "model" ? "model" : needed.dominantKey,
                                            message: "the run would need about \(format(needed.bytes)) of memory\(shown), more than \(format(limit)), \(source) (set XJ_MEMORY_LIMIT to change the limit)")
        }
    }

    static func format(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}
