import ArgumentParser
import Journal

/// `xj push`: send lines of inquiry to a remote.
struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push the current line of inquiry (or all of them) to a remote.",
        discussion: """
        A local path that does not exist yet becomes a new bare repository.

        Examples:
          xj push                  # the current branch to origin
          xj push lab --all
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The remote (default: origin).") var remote: String = "origin"
    @Flag(help: "Push every line of inquiry.") var all = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let journal = try global.openJournal()
        let bar = TransferDisplay.bar()
        let pushed = try journal.push(remote: remote, all: all, progress: TransferDisplay.callback(bar))
        bar.finish()
        if json {
            Output.json(["remote": .string(remote), "pushed": .array(pushed.map(JSONValue.string))])
        } else {
            Output.line("pushed to \(remote): " + pushed.map { String($0.dropFirst(JournalLayout.branchPrefix.count)) }.joined(separator: ", "))
        }
    }
}
