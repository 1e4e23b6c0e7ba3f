import ArgumentParser
import Journal

/// `xj push`: send lines of inquiry to a remote.
struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push the current line of inquiry (or all of them) to a remote.",
        discussion: """
        A local path that does not exist yet becomes a new bare repository. A push lands on top of \
        what the remote has or changes nothing: when someone else pushed first, it stops with one \
        line and nothing on the remote moves. `--retry` then pulls (experiments never collide, so \
        the merge is a union), waits a random moment and pushes again, up to --attempts times.

        Examples:
          xj push                  # the current branch to origin
          xj push lab --all
          xj push --retry          # many clones pushing to one remote (a sweep's workers)
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The remote (default: origin).") var remote: String = "origin"
    @Flag(help: "Push every line of inquiry.") var all = false
    @Flag(help: "When the remote is ahead, pull, merge and push again.") var retry = false
    @Option(help: "With --retry: how many pushes to try in all.") var attempts = 10
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard (1...1000).contains(attempts) else { throw ValidationError("--attempts must be between 1 and 1000, got \(attempts)") }
    }

    func run() throws {
        let journal = try global.openJournal()
        let bar = TransferDisplay.bar()
        let pushed = try journal.push(remote: remote, all: all, attempts: retry ? attempts : 1, progress: TransferDisplay.callback(bar)) { attempt in
            Output.note("\(remote) is ahead; pulling and pushing again (attempt \(attempt + 1) of \(attempts))")
        }
        bar.finish()
        Output.noteStagedWork(journal, notIncludedIn: "what was pushed")
        if json {
            Output.json(["remote": .string(remote), "pushed": .array(pushed.map(JSONValue.string))])
        } else {
            Output.line("pushed to \(remote): " + pushed.map { String($0.dropFirst(JournalLayout.branchPrefix.count)) }.joined(separator: ", "))
        }
    }
}
