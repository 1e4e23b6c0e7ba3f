import Journal

/// What a user asks `xj train` for.
public struct TrainRequest: Sendable {
    /// The dataset's name in the journal (or a dataset id prefix).
    public var dataset: String
    /// A separate validation dataset, instead of a split of `dataset`.
    public var validation: String?
    public var model: String
    public var parameters: [String: JSONValue]
    /// Train again even when the run key is already recorded (a replicate).
    public var force: Bool
    /// Refuse to train when a before-training or model check fails.
    public var strict: Bool

    public init(dataset: String, validation: String? = nil, model: String, parameters: [String: JSONValue], force: Bool = false, strict: Bool = false) {
        self.strict = strict
        self.dataset = dataset
        self.validation = validation
        self.model = model
        self.parameters = parameters
        self.force = force
    }
}
