import JournalStore

/// What the experiment table lists before any summary is read: the run index's entries for a line
/// (or every line), and the names, tags and notes the line's states give them. A table that streams
/// turns a few entries at a time into rows (`LabJournal.rows(of:in:cache:)`).
public struct ExperimentScope {
    /// The index's entries, unordered.
    public let entries: [RunIndexEntry]
    /// Dataset tree id → the name a state gives it.
    public let datasetNames: [ObjectID: String]
    /// Experiment id → its tags, from every state of the scope.
    public let tags: [ObjectID: Set<String>]
    /// Experiment id → its note.
    public let notes: [ObjectID: String]
}
