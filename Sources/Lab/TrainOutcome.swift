import Journal

/// What `train` did: trained and staged a new experiment, or found the same run key already recorded.
public enum TrainOutcome: Sendable {
    /// A new experiment, staged. `replicates` are earlier experiments of the same run key (with --force);
    /// `agreesWithReplicates` says whether their weights are bit-identical to the new ones.
    case trained(ExperimentRecord, replicates: [ExperimentRecord], agreesWithReplicates: Bool?)
    /// The run key is already in the journal (on any branch, remote-tracking branch or the stage); nothing was trained.
    case alreadyRun([RunIndexEntry])
}
