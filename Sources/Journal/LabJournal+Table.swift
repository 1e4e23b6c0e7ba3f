import JournalStore

// MARK: - Loading a dataset's values

extension LabJournal {
    /// Reads a dataset's data blob back into values, with the same parser that made its manifest.
    public func table(for dataset: DatasetRecord) throws -> DatasetTable {
        let source = "dataset \(dataset.name ?? dataset.id.short)"
        let size = dataset.manifest.bytes
        switch dataset.manifest.format {
        case .csv:
            var scanner = CSVScanner(source: source, label: dataset.manifest.label, collect: true)
            try repository.streamBlob(dataset.data) { try scanner.consume($0) }
            _ = try scanner.finish(totalBytes: size)
            return scanner.table
        case .npy:
            var scanner = NpyScanner(source: source, label: dataset.manifest.label, fileSize: try repository.blobSize(dataset.data), collect: true)
            try repository.streamBlob(dataset.data) { try scanner.consume($0) }
            _ = try scanner.finish(totalBytes: size)
            return scanner.table
        }
    }
}
