/// How a character-level LSTM language model is trained (`xj train --model lstm`).
public struct LanguageModelConfiguration: Sendable, Equatable {
    /// Where dropout masks change: `naive` draws new masks at every time step and drops only the
    /// non-recurrent connections (Zaremba et al. 2014); `variational` draws one mask per sequence,
    /// shared by every step, and also drops the recurrent connections (Gal & Ghahramani 2016).
    public enum DropoutMode: String, CaseIterable, Sendable { case naive, variational }

    public var hidden = 128
    public var layers = 2
    public var sequenceLength = 100
    public var batchSize = 32
    public var epochs = 1
    /// Batches per epoch (0: one pass over the training text).
    public var batchesPerEpoch = 0
    public var optimizer: Optimizer.Kind = .adam
    public var learningRate: Float = 0.002
    public var momentum: Float = 0
    public var weightDecay: Float = 0
    /// The largest global gradient norm (0: no clipping).
    public var clip: Float = 5
    public var dropout: Float = 0
    public var recurrentDropout: Float = 0
    public var embeddingDropout: Float = 0
    public var dropoutMode: DropoutMode = .variational
    /// Weights start uniform in ±initScale.
    public var initScale: Float = 0.0884
    /// Monte-Carlo dropout samples for the validation estimate (0: none; variational only).
    public var monteCarloSamples = 0
    public var seed: UInt64 = 0

    public init() {}
}
