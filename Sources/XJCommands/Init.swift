import ArgumentParser
import Foundation
import Journal

/// `xj init [DIR]`: create a journal.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty journal (.journal/, a bare git repository on branch main).",
        discussion: """
        Examples:
          xj init                 # ./.journal
          xj init ~/studies/mnist # ~/studies/mnist/.journal
        """
    )

    @Argument(help: "The folder that gets the .journal (default: the current folder).")
    var directory: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let folder = directory ?? FileManager.default.currentDirectoryPath
        let journal = try LabJournal.create(in: folder)
        if json {
            Output.json(["path": .string(journal.path), "branch": .string(try journal.currentBranch())])
        } else {
            Output.line("Initialized an empty journal in \(journal.path) (line of inquiry: \(try journal.currentBranch()))")
        }
    }
}
