import ArgumentParser
import Foundation
import Journal

/// Options every command that reads a journal takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The journal to use: a .journal folder or the folder holding one (default: $XJ_DIR, else search upwards).", valueName: "path"))
    var journal: String?

    /// Opens the journal named by `--journal`, `XJ_DIR`, or found upwards from the current folder, and
    /// pins the line of inquiry the command works on: `line` (from `--on`), else the current one now,
    /// so a long command records where it started even if another terminal switches meanwhile.
    func openJournal(on line: String? = nil) throws -> LabJournal {
        let explicit = journal ?? ProcessInfo.processInfo.environment["XJ_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let opened = try LabJournal.locate(explicit: explicit, from: FileManager.default.currentDirectoryPath)
        try opened.pinLineOfInquiry(line)
        return opened
    }
}
