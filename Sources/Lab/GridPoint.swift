import Journal

/// One point of a sweep: its parameters, run key, and what is known or was computed for it.
public struct GridPoint: Sendable {
    public let parameters: [String: JSONValue]
    public let runKey: TreeID
    /// Experiments already recorded for this run key (before the sweep ran it).
    public var known: [RunIndexEntry]
    /// The experiment this sweep trained, if it did.
    public var trained: ExperimentRecord?

    public var isKnown: Bool { !known.isEmpty }

    /// The staged record paths that belong to this point: the experiment it trained, and earlier
    /// experiments of its run key that sit on `stage` (a resumed sweep's own points).
    public func stagedPaths(stage: String) -> [String] {
        var paths = known.filter { $0.references.contains(stage) }.map { JournalLayout.experimentPath(runKey: $0.runKey.hex, experiment: $0.experiment.hex) }
        if let trained { paths.append(JournalLayout.experimentPath(runKey: trained.runKey.hex, experiment: trained.id.hex)) }
        return paths
    }

    /// The headline numbers: from the new experiment, else from the first recorded one.
    public var validationLoss: Double? {
        if let trained { return trained.metrics["val_loss"]?.numberValue }
        return known.first.map(\.validationLoss).flatMap { $0.isNaN ? nil : $0 }
    }

    public var validationScore: (String, Double)? {
        if let trained {
            if let accuracy = trained.metrics["val_accuracy"]?.numberValue { return ("val_accuracy", accuracy) }
            if let bpc = trained.metrics["val_bpc"]?.numberValue { return ("val_bpc", bpc) }
            return trained.metrics["val_r2"]?.numberValue.map { ("val_r2", $0) }
        }
        guard let entry = known.first, !entry.validationScore.isNaN else { return nil }
        return (entry.scoreName, entry.validationScore)
    }

    public var experimentID: String? { trained?.id.hex ?? known.first?.experiment.hex }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["params": .object(parameters), "run_key": .string(runKey.hex),
                                            "status": .string(trained != nil ? "trained" : isKnown ? "already_run" : "pending")]
        if let id = experimentID { members["experiment"] = .string(id) }
        if let loss = validationLoss { members["val_loss"] = .number(loss) }
        if let (name, value) = validationScore { members[name] = .number(value) }
        return .object(members)
    }
}
