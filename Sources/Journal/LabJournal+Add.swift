import Foundation
import JournalStore

// MARK: - Adding datasets and parameter sets

extension LabJournal {
    /// Stores a `.csv` or `.npy` file as a dataset tree (`manifest.json` + `data.csv|data.npy`)
    /// and stages it as `datasets/<name>`.
    /// - Parameters:
    ///   - name: the dataset's name in the journal; defaults to the file name without extension.
    ///   - label: the label column; defaults to the last column.
    /// - Throws: `JournalError` naming the file and line for bad input; nothing is staged then.
    /// - Parameter regression: read a numeric label as regression whatever its values (`--task regression`).
    /// - Parameter textSplit: store a UTF-8 text corpus (`--text`), its first share of characters for training.
    public func addDataset(file: String, name: String?, label: String?, regression: Bool = false, textSplit: Double? = nil) throws -> AddedRecord {
        let datasetName = name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        try RecordNames.validate(datasetName, kind: "dataset")
        var (manifest, data) = try DatasetIngest.ingest(path: file, label: label, textSplit: textSplit, into: repository)
        if regression { try manifest.chooseRegression(source: (file as NSString).lastPathComponent) }
        let manifestBlob = try repository.writeBlob(CanonicalJSON.bytes(manifest.json))
        let tree = try repository.writeTree([.blob("manifest.json", manifestBlob), .blob(manifest.format.fileName, data)])
        let path = JournalLayout.datasetPath(datasetName)
        let outcome = try stageIfChanged(path: path, entry: .tree(datasetName, tree), note: "dataset " + datasetName)
        return AddedRecord(kind: "dataset", name: datasetName, path: path, id: tree.object, outcome: outcome, manifest: manifest, parameters: nil)
    }

    /// Stores a parameter set as a canonical-JSON blob and stages it as `params/<name>`.
    public func addParameterSet(_ parameters: ParameterSet, name: String) throws -> AddedRecord {
        try RecordNames.validate(name, kind: "parameter set")
        let blob = try repository.writeBlob(parameters.canonicalBytes)
        let path = JournalLayout.paramsPath(name)
        let outcome = try stageIfChanged(path: path, entry: .blob(name, blob), note: "params " + name)
        return AddedRecord(kind: "params", name: name, path: path, id: blob.object, outcome: outcome, manifest: nil, parameters: parameters)
    }

    /// Stages `entry` at `path` unless the working state already holds that very object there.
    private func stageIfChanged(path: String, entry: TreeEntry, note: String) throws -> AddedRecord.Outcome {
        if let state = try workingState(), let existing = try repository.entry(at: path, in: state), existing.id == entry.id {
            return .unchanged
        }
        try stage([path: entry], note: note)
        return .staged
    }
}
