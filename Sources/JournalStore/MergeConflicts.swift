/// The conflicts of a merge that could not be made.
public struct MergeConflicts: Error, Sendable {
    public let conflicts: [TreeConflict]
}
