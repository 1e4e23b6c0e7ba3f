/// What the before-training checks look at: the raw (unscaled) training and validation sets, the
/// labels in file order, and the configuration that will train on them.
public struct DataCheckInput: Sendable {
    /// Every label in the order of the file, before xj's split (for K102).
    public var fileOrderTargets: [Float]
    public var training: TrainingData
    public var validation: TrainingData
    /// Whether the validation set came from its own dataset (`--val`) rather than xj's split.
    public var separateValidation: Bool
    public var configuration: TrainingConfiguration
    /// Feature names in column order (for messages).
    public var featureNames: [String]
    /// The scaler fitted on the training features, when the caller has it (the trainer uses the same
    /// one): fitting it again costs a pass over the whole training set.
    public var scaler: FeatureScaler?

    public init(fileOrderTargets: [Float], training: TrainingData, validation: TrainingData, separateValidation: Bool,
                configuration: TrainingConfiguration, featureNames: [String]? = nil) {
        self.fileOrderTargets = fileOrderTargets
        self.training = training
        self.validation = validation
        self.separateValidation = separateValidation
        self.configuration = configuration
        self.featureNames = featureNames ?? (0..<training.features.columns).map { "column \($0 + 1)" }
    }
}
