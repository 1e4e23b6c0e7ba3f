import Journal

/// What a user asks `xj run` for: a program, its parameters, the files it reads and its code.
public struct ProgramRequest: Sendable {
    /// The program and its arguments, exactly as given (they are part of the run key).
    public var argv: [String]
    public var parameters: [String: JSONValue]
    /// Files or folders the program reads, recorded by content.
    public var inputs: [String]
    /// A folder whose tree (the program's code) is recorded and part of the run key.
    public var code: String?
    /// Run again even when the run key is already recorded.
    public var force: Bool
    /// Count a recorded failed run as already run (by default a failure is run again).
    public var skipFailed: Bool
    /// The program's working directory (not part of the run key; `xj reproduce` runs in a checkout).
    public var directory: String? = nil

    public init(argv: [String], parameters: [String: JSONValue] = [:], inputs: [String] = [], code: String? = nil,
                force: Bool = false, skipFailed: Bool = false) {
        self.argv = argv
        self.parameters = parameters
        self.inputs = inputs
        self.code = code
        self.force = force
        self.skipFailed = skipFailed
    }
}
