import Foundation
import JournalStore

// MARK: - Checking records and trees (shared by fsck and by what fetch, pull and clone bring in)

extension LabJournal {
    /// What is wrong with one record of a journal-state tree: its name, its kind, and its content
    /// against FORMAT.md (see `fsck`).
    func recordProblems(_ record: JournalRecordPath, location: String, full: Bool) -> [String] {
        do {
            switch record.category {
            case JournalLayout.datasets:
                try RecordNames.validate(record.name, kind: "dataset")
                guard record.path.split(separator: "/").count == 2, try repository.kind(of: record.id) == .tree else {
                    throw JournalError.malformedRecord(path: location, message: "is not datasets/<name> naming a tree")
                }
                return verifyDataset(try dataset(TreeID(record.id), name: record.name), location: location, full: full)
            case JournalLayout.params:
                try RecordNames.validate(record.name, kind: "parameter set")
                let bytes = try repository.blob(BlobID(record.id))
                let parsed = try JSONParser.parse(bytes, source: location)
                if parsed.objectValue == nil { return ["\(location): not a JSON object"] }
                if CanonicalJSON.bytes(parsed) != bytes { return ["\(location): not in canonical JSON form"] }
            case JournalLayout.experiments:
                // Compared as bytes, without making strings: this runs for every experiment a clone brings.
                let parts = record.path.utf8.split(separator: UInt8(ascii: "/"))
                guard parts.count == 4, try repository.kind(of: record.id) == .tree else {
                    throw JournalError.malformedRecord(path: location, message: "is not experiments/<2 hex>/<run key>/<experiment id> naming a tree")
                }
                let experiment = try experiment(TreeID(record.id))
                if !experiment.runKey.object.isSpelled(by: parts[2]) || !parts[2].starts(with: parts[1]) || parts[1].count != 2 {
                    return ["\(location): filed under run key \(String(decoding: parts[2], as: UTF8.self)), but its inputs tree is \(experiment.runKey.hex)"]
                }
                if !experiment.id.object.isSpelled(by: parts[3]) {
                    return ["\(location): filed as \(String(decoding: parts[3], as: UTF8.self)), but the tree is \(experiment.id.hex)"]
                }
            case JournalLayout.tags:
                let parts = record.path.split(separator: "/").map(String.init)
                guard parts.count == 3, ObjectID(hex: parts[1]) != nil, try repository.kind(of: record.id) == .blob else {
                    throw JournalError.malformedRecord(path: location, message: "is not tags/<experiment id>/<tag> naming a file")
                }
                try RecordNames.validate(parts[2], kind: "tag")
            case JournalLayout.notes:
                guard ObjectID(hex: record.name) != nil, record.path.split(separator: "/").count == 2, try repository.kind(of: record.id) == .blob else {
                    throw JournalError.malformedRecord(path: location, message: "is not notes/<experiment id> naming a file")
                }
                if try repository.blobSize(BlobID(record.id)) > 65_537 { return ["\(location): a note longer than 64 KiB"] }
            default:
                break
            }
        } catch {
            return ["\(location): \(error)"]
        }
        return []
    }

    /// Tree entries below `new` that are not in `old` at the same path with the same id, checked for
    /// names no checkout may write (`..`, `.git`, a slash) and for names given twice.
    /// - Parameter checked: trees already looked at, so shared subtrees are read once.
    func treeNameProblems(new: TreeID, old: TreeID?, path: String, checked: inout Set<ObjectID>) throws -> [String] {
        guard new != old, checked.insert(new.object).inserted else { return [] }
        let before = try old.map { try repository.tree($0) } ?? []
        let known = Dictionary(before.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var problems: [String] = []
        var names: Set<String> = []
        for entry in try repository.tree(new) {
            // Built only where it is shown or descended into: most entries are files with good names.
            var shown: String { path.isEmpty ? entry.name : path + "/" + entry.name }
            if !names.insert(entry.name).inserted { problems.append("\(shown.debugDescription) appears twice in one tree") }
            if known[entry.name]?.id == entry.id { continue }
            if !GitRepository.isValidEntryName(entry.name) {
                problems.append("a tree entry is named \(shown.debugDescription), which no checkout may write")
                continue
            }
            if entry.kind == .tree {
                let previous = known[entry.name].flatMap { $0.kind == .tree ? TreeID($0.id) : nil }
                problems += try treeNameProblems(new: TreeID(entry.id), old: previous, path: shown, checked: &checked)
            }
        }
        return problems
    }

    /// What is wrong with the commits reachable from `tips` that none of this journal's refs reached
    /// before: every new tree entry's name, and every record they add or change, datasets rescanned
    /// against their manifests. Called before a fetch, pull or clone moves any ref.
    /// - Returns: at most `limit` problems, each naming the commit and record.
    /// - Parameter hidden: the commits already checked (default: what this journal's branches, remote-tracking
    ///   branches and stages reach); a new clone passes none.
    public func incomingProblems(tips: [CommitID], hiding hidden: [CommitID]? = nil, limit: Int = 20) throws -> [String] {
        let known = try hidden ?? repository.references(matching: "refs/*")
            .filter { $0.name.hasPrefix(JournalLayout.branchPrefix) || $0.name.hasPrefix("refs/remotes/") || $0.name.hasPrefix(JournalLayout.stagePrefix)
                || $0.name.hasPrefix(JournalLayout.remoteSweepPrefix) }
            .map { CommitID($0.target) }
        // Every new object is read once: straight from the packs the transfer just wrote.
        repository.readPacksDirectly()
        // A clone whose indexer kept its pack's objects: whether every tree there is sound (then the
        // walk over names is skipped), judged on the other core while this one lists the records.
        let inflated = hidden?.isEmpty == true ? repository.inflatedObjects : nil
        var treesAreSound = [false]
        var commits: [(location: String, tree: TreeID?, parentTree: TreeID?, failure: String?)] = []
        var records: [(record: JournalRecordPath, location: String, commit: Int)] = []
        var checkedRecords: Set<ObjectID> = []
        var failures = 0
        var listingError: Error?
        treesAreSound.withUnsafeMutableBufferPointer { sound in
            DispatchQueue.concurrentPerform(iterations: inflated == nil ? 1 : 2) { part in
                if part == 1 { sound[0] = inflated!.treesAreSound(); return }
                do {
                    for id in try repository.history(from: tips, hiding: known) where failures < limit {
                        let location = "commit \(id.short)"
                        do {
                            guard try repository.verify(id.object).0 == .commit else {
                                commits.append((location, nil, nil, "\(location): not a commit")); failures += 1; continue
                            }
                            let commit = try repository.commit(id)
                            let parentTree = try commit.parents.first.map { try repository.commit($0).tree }
                            for change in try changes(from: parentTree, to: commit.tree) where change.kind != .removed && checkedRecords.insert(change.record.id).inserted {
                                records.append((change.record, "\(location) \(change.record.path)", commits.count))
                            }
                            commits.append((location, commit.tree, parentTree, nil))
                        } catch {
                            commits.append((location, nil, nil, "\(location): \(error)")); failures += 1
                        }
                    }
                } catch {
                    listingError = error
                }
            }
        }
        if let listingError { throw listingError }
        // Tree names on one core, and records on both, each core through a repository handle of its
        // own (as libgit2 asks), claiming records in chunks so neither waits for the other.
        var other: LabJournal?
        if records.count >= 512, let own = try? GitRepository.open(at: repository.path) {
            own.readPacksDirectly(keeping: repository.inflatedObjects)
            other = LabJournal(repository: own)
        }
        var nameProblems = [[String]](repeating: [], count: commits.count)
        var recordProblems = [[String]](repeating: [], count: records.count)
        let claims = NSLock()
        var nextRecord = 0
        nameProblems.withUnsafeMutableBufferPointer { names in
            recordProblems.withUnsafeMutableBufferPointer { found in
                DispatchQueue.concurrentPerform(iterations: other == nil ? 1 : 2) { part in
                    let journal = part == 0 ? self : other!
                    if part == 0, !treesAreSound[0] {
                        var checkedTrees: Set<ObjectID> = []
                        for (index, commit) in commits.enumerated() {
                            guard let tree = commit.tree else { continue }
                            do {
                                names[index] = try treeNameProblems(new: tree, old: commit.parentTree, path: "", checked: &checkedTrees).map { "\(commit.location): \($0)" }
                            } catch {
                                names[index] = ["\(commit.location): \(error)"]
                            }
                        }
                    }
                    while true {
                        claims.lock()
                        let start = nextRecord
                        nextRecord = min(records.count, start + 64)
                        claims.unlock()
                        guard start < records.count else { return }
                        for index in start..<min(records.count, start + 64) {
                            found[index] = journal.recordProblems(records[index].record, location: records[index].location, full: true)
                        }
                    }
                }
            }
        }
        other?.repository.stopReadingPacksDirectly()
        // In the order a one-thread pass finds them: each commit's failure or names, then its records.
        var byCommit = commits.indices.map { (commits[$0].failure.map { [$0] } ?? []) + nameProblems[$0] }
        for (item, found) in zip(records, recordProblems) { byCommit[item.commit] += found }
        let problems = byCommit.flatMap { $0 }
        return Array(problems.prefix(limit))
    }
}
