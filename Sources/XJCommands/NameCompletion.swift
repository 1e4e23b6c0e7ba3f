import Foundation
import ArgumentParser
import Journal

/// Shell completion of the journal's names (`xj --generate-completion-script bash|zsh|fish`): the
/// shell runs xj itself to ask for them, so they are read from the journal of the folder the user is in.
enum NameCompletion {
    /// Dataset names of the current line (committed and staged).
    static let datasets = CompletionKind.custom { _, _, prefix in
        names(prefix) { journal in try journal.workingState().map { try journal.datasetIDs(in: $0).keys.sorted() } ?? [] }
    }

    /// Line-of-inquiry names.
    static let lines = CompletionKind.custom { _, _, prefix in
        names(prefix) { try $0.branchNames() }
    }

    /// Stored parameter-set names of the current line.
    static let parameterSets = CompletionKind.custom { _, _, prefix in
        names(prefix) { journal in
            guard let state = try journal.workingState(), let folder = try journal.repository.entry(at: JournalLayout.params, in: state) else { return [] }
            return try journal.repository.tree(TreeID(folder.id)).map(\.name).sorted()
        }
    }

    private static func names(_ prefix: String, _ read: (LabJournal) throws -> [String]) -> [String] {
        let explicit = ProcessInfo.processInfo.environment["XJ_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard let journal = try? LabJournal.locate(explicit: explicit, from: FileManager.default.currentDirectoryPath),
              let names = try? read(journal) else { return [] }
        return names.filter { $0.hasPrefix(prefix) }
    }
}
