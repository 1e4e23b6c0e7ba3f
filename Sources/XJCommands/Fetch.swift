import ArgumentParser
import Journal

/// `xj fetch`: bring a remote's lines of inquiry in as remote-tracking branches.
struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a remote's lines of inquiry into <remote>/<branch>; re-run detection then covers their experiments.",
        discussion: "Example:\n  xj fetch origin"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The remote (default: origin).") var remote: String = "origin"

    func run() throws {
        let journal = try global.openJournal()
        let bar = TransferDisplay.bar()
        try journal.fetch(remote: remote, progress: TransferDisplay.callback(bar))
        bar.finish()
        let tracking = try journal.repository.references(matching: "refs/remotes/\(remote)/*").filter { !$0.name.hasSuffix("/HEAD") }
        Output.line("fetched \(remote): " + tracking.map { "\($0.name.dropFirst("refs/remotes/".count)) \($0.target.short)" }.joined(separator: ", "))
    }
}
