import JournalStore

/// One record in a journal-state tree: its path (`datasets/digits`, `params/baseline`,
/// `experiments/3f/<run key>/<id>`) and the object there.
public struct JournalRecordPath: Hashable, Sendable {
    public let path: String
    public let id: ObjectID

    /// `datasets`, `params`, `experiments` or a top-level file name.
    public var category: String {
        // Not `split`: a report reads the category of every experiment a commit added (100,000 of them).
        guard let slash = path.utf8.firstIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[..<slash])
    }

    /// The last path component: the dataset's or parameter set's name, or the experiment id.
    public var name: String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}
