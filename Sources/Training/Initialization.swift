/// How a dense layer's weights start. All draw uniformly from ±limit; biases start at zero.
public enum Initialization: String, CaseIterable, Sendable {
    /// He et al. 2015: limit = √(6 / fan_in), for relu.
    case he
    /// Glorot and Bengio 2010: limit = √(6 / (fan_in + fan_out)), for tanh and sigmoid.
    case glorot
    /// LeCun 1998: limit = √(3 / fan_in).
    case lecun
    /// A fixed limit of 0.05, as Keras's RandomUniform.
    case uniform

    public func limit(fanIn: Int, fanOut: Int) -> Float {
        switch self {
        case .he: return (6 / Float(fanIn)).squareRoot()
        case .glorot: return (6 / Float(fanIn + fanOut)).squareRoot()
        case .lecun: return (3 / Float(fanIn)).squareRoot()
        case .uniform: return 0.05
        }
    }
}
