import JournalStore

/// One task ref of a cluster sweep as last fetched from a remote: `refs/xj/sweeps/<sweep>/<task>` there,
/// `refs/xj/remote-sweeps/<remote>/<sweep>/<task>` here.
public struct SweepTaskReference: Sendable, Equatable {
    public let remote: String
    public let sweep: String
    public let task: Int
    public let tip: CommitID

    /// The ref's name on the remote.
    public var remoteName: String { JournalLayout.sweepTaskReference(sweep: sweep, task: task) }

    /// The local copy's name.
    public var localName: String { JournalLayout.remoteSweepPrefix + remote + "/" + sweep + "/" + String(task) }

    public init(remote: String, sweep: String, task: Int, tip: CommitID) {
        self.remote = remote
        self.sweep = sweep
        self.task = task
        self.tip = tip
    }
}
