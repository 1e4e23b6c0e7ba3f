import JournalStore

// MARK: - Checking the journal

extension LabJournal {
    /// Reads every object reachable from every ref, checking that each inflates and hashes to its id
    /// and that every tree entry has a name git can check out (no `..`, `.git`, `/`); checks the ref
    /// files themselves (HEAD on a branch, no garbage, no self-reference); then checks every record
    /// against FORMAT.md: names, dataset trees (manifest fields, data file, size — and with `full` a
    /// fresh scan of the data against the manifest's rows and columns), parameter sets (a JSON object
    /// in canonical form) and experiments (filed under their run key).
    public func fsck(full: Bool = false) throws -> FsckReport {
        var report = FsckReport()
        var seen: Set<ObjectID> = []
        var checkedRecords: Set<ObjectID> = []
        report.problems += repository.referenceFileProblems()
        let references: [Reference]
        do {
            references = try repository.references(matching: "refs/*")
        } catch {
            report.problems.append("refs: \(error)")
            return report
        }
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
                try checkRecords(in: commit.tree, commit: commitID, checked: &checkedRecords, full: full, report: &report)
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
            if !GitRepository.isValidEntryName(entry.name) {
                report.problems.append("tree \(tree.short): an entry is named \(entry.name.debugDescription), which no checkout may write")
            }
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

    private func checkRecords(in state: TreeID, commit: CommitID, checked: inout Set<ObjectID>, full: Bool, report: inout FsckReport) throws {
        for record in try recordPaths(in: state) where checked.insert(record.id).inserted {
            switch record.category {
            case JournalLayout.datasets: report.datasets += 1
            case JournalLayout.params: report.parameterSets += 1
            case JournalLayout.experiments: report.experiments += 1
            default: break
            }
            report.problems += recordProblems(record, location: "commit \(commit.short) \(record.path)", full: full)
        }
    }
}
