import Journal

/// What `xj run` did.
public enum ProgramOutcome: Sendable {
    /// The program ran and its experiment is staged; `exitStatus` is the program's, `problem` says why
    /// a run counts as failed (a non-zero exit, or output xj could not accept).
    case ran(ExperimentRecord, exitStatus: Int32, problem: String?)
    /// The run key is already recorded (successful runs only, unless --skip-failed); nothing ran.
    case alreadyRun([RunIndexEntry])
}
