import ArgumentParser
import Journal

/// `xj restore --staged TARGET…`: take work off the stage, as `git restore --staged` does.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Take records off the stage (the objects stay in the store; nothing is trained or deleted).",
        discussion: """
        A target is a staged record's path, a dataset or parameter-set name, or an experiment id prefix (4+ hex digits); `xj status` lists them. --all discards everything staged on the line and asks for --force. Named as in git: a journal has no working files, so --staged is required.

        Examples:
          xj restore --staged 7b478c1              # one staged experiment
          xj restore --staged digits baseline       # a staged dataset and a parameter set
          xj restore --staged --all --force         # everything staged on this line
          xj restore --staged 7b478c1 --on side     # on another line of inquiry
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Flag(help: "Take the records off the stage (required: a journal has no working files).")
    var staged = false

    @Flag(help: "Everything staged on the line (needs --force).")
    var all = false

    @Flag(help: "Confirm --all.")
    var force = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: "Staged records: paths, names or experiment id prefixes.")
    var targets: [String] = []

    func validate() throws {
        guard staged else { throw ValidationError("xj restore needs --staged: a journal has no working files to restore") }
        guard all != !targets.isEmpty else { throw ValidationError(all ? "give targets or --all, not both" : "name what to take off the stage, or --all") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let paths: [String]
        if all {
            let everything = try journal.stagedRecords().map(\.path)
            guard force || everything.isEmpty else {
                throw CommandFailure(message: "--all would discard \(everything.count) staged record\(everything.count == 1 ? "" : "s") on \(try journal.currentBranch()); add --force to do it", status: 1)
            }
            paths = everything
        } else {
            paths = try targets.flatMap { try journal.stagedPaths(matching: $0) }
        }
        let removed = try journal.unstage(Set(paths))
        if json {
            Output.json(["unstaged": .array(removed.map(JSONValue.string))])
        } else {
            for path in removed { Output.line("unstaged \(path)") }
            if removed.isEmpty { Output.line("nothing staged") }
        }
    }
}
