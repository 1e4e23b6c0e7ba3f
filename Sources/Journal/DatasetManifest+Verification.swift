/// Comparing a stored manifest with one computed from the data itself.
extension DatasetManifest {
    /// The first way `self` (stored) disagrees with `scanned` (computed from the data blob) in what
    /// training relies on: format, size, rows, columns and their kinds, label, task and classes.
    /// Statistics are not compared (their last bits may differ between xj versions).
    /// - Returns: nil when they agree.
    public func disagreement(with scanned: DatasetManifest) -> String? {
        if format != scanned.format { return "the manifest says \(format.rawValue), the data is \(scanned.format.rawValue)" }
        if bytes != scanned.bytes { return "the manifest says \(bytes) bytes, the data has \(scanned.bytes)" }
        if format == .text, characters != scanned.characters { return "the manifest says \(characters ?? 0) characters, the data has \(scanned.characters ?? 0)" }
        if rows != scanned.rows { return "the manifest says \(rows) rows, the data has \(scanned.rows)" }
        if columns.count != scanned.columns.count { return "the manifest says \(columns.count) columns, the data has \(scanned.columns.count)" }
        for (stored, found) in zip(columns, scanned.columns) where stored.name != found.name || stored.kind != found.kind {
            return "the manifest's column \(stored.name.debugDescription) (\(stored.kind.rawValue)) is \(found.name.debugDescription) (\(found.kind.rawValue)) in the data"
        }
        if label != scanned.label { return "the manifest's label is \(label.debugDescription), the data's is \(scanned.label.debugDescription)" }
        if taskChosen {
            // `xj add --task regression`: any numeric label may be read as regression.
            if task != .regression || !classes.isEmpty || scanned.labelIndex.map({ scanned.columns[$0].kind }) != .numeric {
                return "the manifest's chosen task does not fit the data's label"
            }
        } else if task != scanned.task || classes != scanned.classes {
            return "the manifest's task or classes differ from the data's"
        }
        return nil
    }
}
