/// A feed-forward model as the model checks see it: a sequence of steps with the initial weights.
/// xj's own networks are described by `init(network:configuration:)`; a test or another trainer may
/// describe models xj does not build (a tanh output, batch-norm), so every check has something to judge.
public struct ModelDescription: Sendable {
    public enum Step: Sendable, Equatable {
        /// A dense layer and its initial weights (row-major, outputs × inputs).
        case dense(inputs: Int, outputs: Int, weights: [Float])
        /// An element-wise activation: relu, tanh, sigmoid, softmax or linear.
        case activation(String)
        case batchNorm
        case dropout(Float)
    }

    public var steps: [Step]
    /// The initialisation scheme's name (he, glorot, lecun, uniform).
    public var initialization: String
    /// Whether that scheme scales the weights to the layer's fan-in (false for a fixed range).
    public var initializationScalesWithFanIn: Bool

    public init(steps: [Step], initialization: String, initializationScalesWithFanIn: Bool) {
        self.steps = steps
        self.initialization = initialization
        self.initializationScalesWithFanIn = initializationScalesWithFanIn
    }

    /// An xj network: hidden layers with the configured activation (and dropout), then an output
    /// layer whose activation follows from the loss of the task.
    public init(network: Network, configuration: TrainingConfiguration, task: TrainingData.Task) {
        var steps: [Step] = []
        for (index, layer) in network.layers.enumerated() {
            steps.append(.dense(inputs: layer.inputs, outputs: layer.outputs, weights: layer.weight.values))
            if index < network.layers.count - 1 {
                steps.append(.activation(configuration.activation.rawValue))
                if configuration.dropout > 0 { steps.append(.dropout(configuration.dropout)) }
            }
        }
        steps.append(.activation(Self.outputActivation(for: task)))
        self.init(steps: steps, initialization: configuration.initialization.rawValue,
                  initializationScalesWithFanIn: configuration.initialization != .uniform)
    }

    /// The activation xj's output layer has for a task (the loss applies it).
    public static func outputActivation(for task: TrainingData.Task) -> String {
        switch task {
        case let .classification(classes) where classes == 2: return "sigmoid"
        case .classification: return "softmax"
        case .regression: return "linear"
        }
    }

    /// The dense layers in order.
    public var denseLayers: [(inputs: Int, outputs: Int, weights: [Float])] {
        steps.compactMap { if case let .dense(inputs, outputs, weights) = $0 { return (inputs, outputs, weights) } else { return nil } }
    }

    /// The activation after the last dense layer ("linear" when there is none).
    public var outputActivation: String {
        guard let last = steps.lastIndex(where: { if case .dense = $0 { return true } else { return false } }) else { return "linear" }
        for step in steps[(last + 1)...] { if case let .activation(name) = step { return name } }
        return "linear"
    }

    /// The activations between dense layers (not the output's).
    public var hiddenActivations: [String] {
        guard let last = steps.lastIndex(where: { if case .dense = $0 { return true } else { return false } }) else { return [] }
        return steps[..<last].compactMap { if case let .activation(name) = $0 { return name } else { return nil } }
    }

    public var parameterCount: Int { denseLayers.reduce(0) { $0 + $1.weights.count + $1.outputs } }
}
