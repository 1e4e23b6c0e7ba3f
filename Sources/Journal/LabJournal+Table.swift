import JournalStore

// MARK: - Loading a dataset's values

extension LabJournal {
    /// Reads a dataset's data blob back into values, with the same parser that made its manifest, and
    /// checks the manifest against what the data holds: a manifest that claims other rows or columns
    /// (a damaged or hostile journal) is refused rather than trained on.
    public func table(for dataset: DatasetRecord) throws -> DatasetTable {
        let (table, scanned) = try scan(dataset, collect: true)
        if let problem = dataset.manifest.disagreement(with: scanned) {
            throw JournalError.malformedRecord(path: "dataset \(dataset.name ?? dataset.id.short)",
                                               message: problem + "; the journal is damaged or was tampered with: run xj fsck --full")
        }
        return table!
    }

    /// Refuses a dataset whose manifest claims other than its data can hold (another size in bytes, or
    /// more rows than bytes). Memory is budgeted from the manifest before the data is read, so a damaged
    /// or forged manifest is named here instead of being blamed on a parameter.
    public func checkManifestSize(_ dataset: DatasetRecord) throws {
        let size = try repository.blobSize(dataset.data), manifest = dataset.manifest
        let problem = size != manifest.bytes ? "the data has \(size) bytes, the manifest says \(manifest.bytes)"
            : manifest.rows < 0 || UInt64(manifest.rows) > size ? "the manifest says \(manifest.rows) rows, more than the data's \(size) bytes can hold" : nil
        if let problem {
            throw JournalError.malformedRecord(path: "dataset \(dataset.name ?? dataset.id.short)",
                                               message: problem + "; the journal is damaged or was tampered with: run xj fsck --full")
        }
    }

    /// The manifest computed afresh from a dataset's data blob (and, with `collect`, its values).
    func scan(_ dataset: DatasetRecord, collect: Bool) throws -> (DatasetTable?, DatasetManifest) {
        let source = "dataset \(dataset.name ?? dataset.id.short)"
        let size = try repository.blobSize(dataset.data)
        switch dataset.manifest.format {
        case .csv:
            // Every cell takes at least one byte and a separator, so a manifest cannot make this reserve
            // more than the data could fill.
            let cells = min(dataset.manifest.rows.multipliedReportingOverflow(by: dataset.manifest.columns.count).partialValue, Int(size / 2) + dataset.manifest.columns.count)
            var scanner = CSVScanner(source: source, label: dataset.manifest.label, collect: collect, expectedCells: collect ? max(cells, 0) : 0)
            try repository.streamBlob(dataset.data) { try scanner.consume($0) }
            let manifest = try scanner.finish(totalBytes: size)
            return (collect ? scanner.table : nil, manifest)
        case .npy:
            var scanner = NpyScanner(source: source, label: dataset.manifest.label, fileSize: size, collect: collect)
            try repository.streamBlob(dataset.data) { try scanner.consume($0) }
            let manifest = try scanner.finish(totalBytes: size)
            return (collect ? scanner.table : nil, manifest)
        case .text:
            if collect { throw JournalError.invalidDataset(source: source, location: nil, message: "is a text corpus: train it with --model lstm") }
            var scanner = TextScanner(source: source, trainFraction: dataset.manifest.trainFraction ?? 0.9)
            try repository.streamBlob(dataset.data) { try scanner.consume($0) }
            return (nil, try scanner.finish(totalBytes: size))
        }
    }

    /// A text corpus's characters as vocabulary indices (the order of `manifest.classes`), after
    /// checking the manifest against the data like `table(for:)`.
    public func characters(of dataset: DatasetRecord) throws -> [Int32] {
        let source = "dataset \(dataset.name ?? dataset.id.short)"
        guard dataset.manifest.format == .text else {
            throw JournalError.invalidDataset(source: source, location: nil, message: "is not a text corpus (add one with xj add corpus.txt --text); --model lstm trains on text")
        }
        let size = try repository.blobSize(dataset.data)
        var scanner = TextScanner(source: source, trainFraction: dataset.manifest.trainFraction ?? 0.9, collect: true)
        try repository.streamBlob(dataset.data) { try scanner.consume($0) }
        let scanned = try scanner.finish(totalBytes: size)
        if let problem = dataset.manifest.disagreement(with: scanned) {
            throw JournalError.malformedRecord(path: source, message: problem + "; the journal is damaged or was tampered with: run xj fsck --full")
        }
        var index: [UInt32: Int32] = [:]
        for (position, character) in dataset.manifest.classes.enumerated() {
            if let scalar = character.stringValue?.unicodeScalars.first { index[scalar.value] = Int32(position) }
        }
        return scanner.scalars.map { index[$0] ?? 0 }
    }

    /// Checks a dataset record: its name, its manifest's size against the data blob, and with `full`
    /// its manifest against a fresh scan of the data (rows, columns, label, classes).
    /// - Returns: the problems found, each naming the record.
    public func verifyDataset(_ dataset: DatasetRecord, location: String, full: Bool) -> [String] {
        var problems: [String] = []
        do {
            let size = try repository.blobSize(dataset.data)
            if size != dataset.manifest.bytes {
                problems.append("\(location): the data has \(size) bytes, the manifest says \(dataset.manifest.bytes)")
            }
            if full, problems.isEmpty, let problem = dataset.manifest.disagreement(with: try scan(dataset, collect: false).1) {
                problems.append("\(location): \(problem)")
            }
        } catch {
            problems.append("\(location): \(error)")
        }
        return problems
    }
}
