import JournalStore

/// One record in a journal-state tree: its path (`datasets/digits`, `params/baseline`,
/// `experiments/3f/<run key>/<id>`) and the object there.
public struct JournalRecordPath: Hashable, Sendable {
    public let path: String
    public let id: ObjectID

    /// `datasets`, `params`, `experiments` or a top-level file name.
    public var category: String { String(path.split(separator: "/").first ?? "") }

    /// The last path component: the dataset's or parameter set's name, or the experiment id.
    public var name: String { String(path.split(separator: "/").last ?? "") }
}
