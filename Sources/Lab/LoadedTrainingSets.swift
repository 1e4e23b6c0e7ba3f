import Training

/// A request's training and validation sets, loaded, split and with missing cells handled, as
/// training (and the before-training checks) will see them.
struct LoadedTrainingSets {
    var training: TrainingData
    var validation: TrainingData
    /// The rows held out with `test_fraction` (nil without it).
    var test: TrainingData? = nil
    /// The training dataset's labels in file order, before the split (for K102).
    var fileOrderTargets: [Float]
    var featureNames: [String]
    var separateValidation: Bool
    /// Fitted on the training features once, for check K204 and for training.
    var scaler: FeatureScaler
}
