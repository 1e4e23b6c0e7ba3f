/// When a check runs: on the data before training, on the freshly initialised model, or while training.
public enum CheckStage: String, Sendable, CaseIterable {
    case before
    case model
    case during
}
