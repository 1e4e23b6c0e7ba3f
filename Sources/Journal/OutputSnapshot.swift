import JournalStore

/// What `LabJournal.snapshotOutput` found in a program's output folder.
public struct OutputSnapshot: Sendable {
    /// The tree of the regular files and folders stored, nil when there were none.
    public var tree: TreeEntry?
    /// The bytes of the files read rather than stored (`metrics.json`, `curves.json`), by name.
    public var parsed: [String: [UInt8]] = [:]
    /// Paths (relative to the folder) left out and why: symbolic links, devices, sockets, oversized files.
    public var skipped: [String] = []

    public init() {}
}
