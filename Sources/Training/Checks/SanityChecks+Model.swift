import Foundation

extension SanityChecks {
    /// K201, K202, K203, K401, K503: the model as initialised.
    static func modelFindings(_ model: ModelDescription) -> [CheckFinding] {
        [tooSmall(model), outsideUnitSphere(model), uniformInitialisation(model), sigmoidHidden(model), batchNormPosition(model)]
    }

    /// K201: each layer's signal gain, std(w)·√fan_in, divided by √2 when relu follows (relu halves the
    /// variance). He et al. 2015 keep it at 1; below 0.3 a signal shrinks more than threefold per layer.
    static func tooSmall(_ model: ModelDescription) -> CheckFinding {
        let layers = model.denseLayers
        guard !layers.isEmpty else { return CheckFinding("K201", .notApplicable, "the model has no dense layers") }
        let hidden = model.hiddenActivations
        var gains: [Double] = []
        for (index, layer) in layers.enumerated() {
            let mean = layer.weights.reduce(0.0) { $0 + Double($1) } / Double(max(layer.weights.count, 1))
            let variance = layer.weights.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(layer.weights.count, 1))
            var gain = variance.squareRoot() * Double(layer.inputs).squareRoot()
            if index < hidden.count, hidden[index] == "relu" { gain /= 2.0.squareRoot() }
            gains.append(gain)
        }
        let smallest = gains.indices.min { gains[$0] < gains[$1] }!
        let values = ["min_gain": gains[smallest]]
        if gains[smallest] < 0.3 {
            return CheckFinding("K201", .failure, "layer \(smallest + 1)'s initial weights are too small: a signal passing it shrinks to \(format(gains[smallest]))× (he/lecun keep about 1)", values: values)
        }
        return CheckFinding("K201", .pass, "every layer passes a signal on at \(format(gains[smallest]))× or more (at least 0.3)", values: values)
    }

    /// K202: the share of initial weights outside [−1, 1].
    static func outsideUnitSphere(_ model: ModelDescription) -> CheckFinding {
        let weights = model.denseLayers.flatMap(\.weights)
        guard !weights.isEmpty else { return CheckFinding("K202", .notApplicable, "the model has no dense layers") }
        let outside = Double(weights.filter { abs($0) > 1 }.count) / Double(weights.count)
        let values = ["fraction_outside": outside]
        if outside > 0.01 {
            return CheckFinding("K202", .warning, "\(percent(outside)) of the initial weights lie outside [−1, 1] (more than 1%): early updates will be large", values: values)
        }
        return CheckFinding("K202", .pass, "\(percent(outside)) of the initial weights lie outside [−1, 1] (at most 1%)", values: values)
    }

    /// K203: a fixed uniform range (Keras's RandomUniform ±0.05) ignores each layer's fan-in.
    static func uniformInitialisation(_ model: ModelDescription) -> CheckFinding {
        if model.initializationScalesWithFanIn {
            return CheckFinding("K203", .pass, "\(model.initialization) initialisation scales each layer's range to its fan-in")
        }
        return CheckFinding("K203", .warning, "\(model.initialization) initialisation draws every layer from one fixed range, whatever its fan-in; use he (relu) or glorot (tanh, sigmoid)")
    }

    /// K401: sigmoid between layers (not zero-centred, saturates; LeCun et al. 1998).
    static func sigmoidHidden(_ model: ModelDescription) -> CheckFinding {
        let hidden = model.hiddenActivations
        guard !hidden.isEmpty else { return CheckFinding("K401", .notApplicable, "the model has no hidden layers") }
        if let index = hidden.firstIndex(of: "sigmoid") {
            return CheckFinding("K401", .warning, "hidden layer \(index + 1) uses sigmoid: its outputs are not centred on zero and saturate; tanh or relu train faster")
        }
        return CheckFinding("K401", .pass, "hidden layers use \(Set(hidden).sorted().joined(separator: ", "))")
    }

    /// K503: batch-norm after the output layer, or right after dropout (Li et al. 2019, "variance shift").
    static func batchNormPosition(_ model: ModelDescription) -> CheckFinding {
        let steps = model.steps
        guard steps.contains(.batchNorm) else {
            return CheckFinding("K503", .notApplicable, "the model has no batch-norm layers")
        }
        let lastDense = steps.lastIndex { if case .dense = $0 { return true } else { return false } } ?? -1
        for (index, step) in steps.enumerated() where step == .batchNorm {
            if index > lastDense {
                return CheckFinding("K503", .failure, "batch-norm follows the output layer: it rescales the predictions themselves")
            }
            if index > 0, case .dropout = steps[index - 1] {
                return CheckFinding("K503", .failure, "batch-norm follows dropout: its statistics shift between training and inference")
            }
        }
        return CheckFinding("K503", .pass, "batch-norm sits between a layer and its activation")
    }
}
