import JournalStore

// MARK: - Checking the journal

extension LabJournal {
    /// Reads every object reachable from every ref, checking that each inflates and hashes to its id,
    /// then checks every record against FORMAT.md: dataset trees (manifest fields, data file, size)
    /// and parameter sets (a JSON object in canonical form).
    public func fsck() throws -> FsckReport {
        var report = FsckReport()
        var seen: Set<ObjectID> = []
        var checkedRecords: Set<ObjectID> = []
        let references = try repository.references(matching: "refs/*")
        report.references = references.count
        var tips: [CommitID] = []
        for reference in references {
            do {
                let (kind, _) = try repository.verify(reference.target)
                if kind == .commit { tips.append(CommitID(reference.target)) } else {
                    report.problems.append("\(reference.name) points at a \(kind.rawValue), not a commit")
                }
            } catch {
                report.problems.append("\(reference.name): \(error)")
            }
        }
        let commits: [CommitID]
        do {
            commits = try repository.history(from: tips)
        } catch {
            report.problems.append("history: \(error)")
            return report
        }
        for commitID in commits {
            report.commits += 1
            do {
                _ = try repository.verify(commitID.object)
                seen.insert(commitID.object)
                let commit = try repository.commit(commitID)
                try verifyTree(commit.tree, seen: &seen, report: &report)
                try checkRecords(in: commit.tree, commit: commitID, checked: &checkedRecords, report: &report)
            } catch {
                report.problems.append("commit \(commitID.short): \(error)")
            }
        }
        report.objects = seen.count
        return report
    }

    private func verifyTree(_ tree: TreeID, seen: inout Set<ObjectID>, report: inout FsckReport) throws {
        guard seen.insert(tree.object).inserted else { return }
        do {
            _ = try repository.verify(tree.object)
        } catch {
            report.problems.append("tree \(tree.short): \(error)")
            return
        }
        for entry in try repository.tree(tree) {
            switch entry.kind {
            case .tree:
                try verifyTree(TreeID(entry.id), seen: &seen, report: &report)
            case .blob:
                guard seen.insert(entry.id).inserted else { continue }
                do {
                    _ = try repository.verify(entry.id)
                } catch {
                    report.problems.append("blob \(entry.id.short) (\(entry.name)): \(error)")
                }
            }
        }
    }

    private func checkRecords(in state: TreeID, commit: CommitID, checked: inout Set<ObjectID>, report: inout FsckReport) throws {
        for record in try recordPaths(in: state) where checked.insert(record.id).inserted {
            let location = "commit \(commit.short) \(record.path)"
            do {
                switch record.category {
                case JournalLayout.datasets:
                    report.datasets += 1
                    try RecordNames.validate(record.name, kind: "dataset")
                    guard try repository.kind(of: record.id) == .tree else { throw JournalError.malformedRecord(path: location, message: "is not a tree") }
                    let dataset = try dataset(TreeID(record.id), name: record.name)
                    let size = try repository.blobSize(dataset.data)
                    if size != dataset.manifest.bytes {
                        report.problems.append("\(location): the data has \(size) bytes, the manifest says \(dataset.manifest.bytes)")
                    }
                case JournalLayout.params:
                    report.parameterSets += 1
                    try RecordNames.validate(record.name, kind: "parameter set")
                    let bytes = try repository.blob(BlobID(record.id))
                    let parsed = try JSONParser.parse(bytes, source: location)
                    if CanonicalJSON.bytes(parsed) != bytes {
                        report.problems.append("\(location): not in canonical JSON form")
                    }
                    if parsed.objectValue == nil { report.problems.append("\(location): not a JSON object") }
                case JournalLayout.experiments:
                    report.experiments += 1
                    let parts = record.path.split(separator: "/").map(String.init)
                    guard parts.count == 4, try repository.kind(of: record.id) == .tree else {
                        throw JournalError.malformedRecord(path: location, message: "is not experiments/<2 hex>/<run key>/<experiment id> naming a tree")
                    }
                    let experiment = try experiment(TreeID(record.id))
                    if experiment.runKey.hex != parts[2] || !parts[2].hasPrefix(parts[1]) {
                        report.problems.append("\(location): filed under run key \(parts[2]), but its inputs tree is \(experiment.runKey.hex)")
                    }
                    if experiment.id.hex != parts[3] {
                        report.problems.append("\(location): filed as \(parts[3]), but the tree is \(experiment.id.hex)")
                    }
                default:
                    break
                }
            } catch {
                report.problems.append("\(location): \(error)")
            }
        }
    }
}
