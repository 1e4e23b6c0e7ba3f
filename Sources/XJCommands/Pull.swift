import ArgumentParser
import Journal

/// `xj pull`: fetch and merge the remote's version of the current line of inquiry.
struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch, then merge <remote>/<current branch> into the current branch (fast-forward when possible).",
        discussion: """
        Experiment records are independent, so two lines that added different experiments merge without conflict. The same path with different content on both sides is a conflict: xj names it with both sides' ids and leaves the local branch as it was.

        Example:
          xj pull origin
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The remote (default: origin).") var remote: String = "origin"

    func run() throws {
        let journal = try global.openJournal()
        let bar = TransferDisplay.bar()
        let outcome = try journal.pull(remote: remote, progress: TransferDisplay.callback(bar))
        bar.finish()
        switch outcome {
        case .upToDate: Output.line("already up to date")
        case let .fastForward(commit): Output.line("fast-forward to \(commit.short)")
        case let .merged(record): Output.line("merged \(remote) as \(record.commit.id.short) (\(record.changeSummary))")
        }
    }
}
