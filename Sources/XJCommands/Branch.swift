import ArgumentParser
import Journal

/// `xj branch [NAME [START]]`, `-d`/`-D NAME`, `-m OLD NEW`: list, create, delete or rename lines of inquiry.
struct Branch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch",
        abstract: "List lines of inquiry (branches), or start a new one.",
        discussion: """
        Examples:
          xj branch                       # list; * marks the current one; hypotheses show open/supported/falsified/mixed
          xj branch dropout-study         # start one at the current commit
          xj branch lr-study main~2       # start one at another revision
          xj branch -d lr-study           # delete it (refused while its commits are on no other line)
          xj branch -D lr-study           # delete it anyway, with its staged work
          xj branch -m lr-study lr-sweep  # rename it (its stage goes with it)
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new line of inquiry's name.")
    var name: String?

    @Argument(help: "Where it starts (default: the current commit).")
    var start: String?

    @Flag(name: .customShort("d"), help: "Delete the line of inquiry (refused when its commits are on no other line).")
    var delete = false

    @Flag(name: .customShort("D"), help: "Delete it even so, with its staged work.")
    var forceDelete = false

    @Flag(name: .customShort("m"), help: "Rename NAME to the second argument.")
    var rename = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if delete || forceDelete {
            guard name != nil, start == nil, !rename else { throw ValidationError("-d and -D take one line of inquiry: xj branch -d NAME") }
        }
        if rename { guard name != nil, start != nil else { throw ValidationError("-m takes two names: xj branch -m OLD NEW") } }
    }

    func run() throws {
        let journal = try global.openJournal()
        if let name, delete || forceDelete {
            try journal.deleteBranch(name, force: forceDelete)
            Output.line("Deleted line of inquiry \(name)")
            return
        }
        if let name, let start, rename {
            try journal.renameBranch(name, to: start)
            Output.line("Renamed line of inquiry \(name) to \(start)")
            return
        }
        if let name {
            let line = try journal.createBranch(name, from: start)
            if json { Output.json(line.json) } else { Output.line("Started line of inquiry \(name) at \(line.tip?.id.short ?? "")") }
            return
        }
        let lines = try journal.linesOfInquiry()
        if json {
            Output.json(.array(lines.map(\.json)))
            return
        }
        let rows = lines.map { line -> [String] in
            let subject = line.tip.map { String($0.message.split(separator: "\n").first ?? "") } ?? "(no commits yet)"
            return [(line.isCurrent ? "* " : "  ") + line.name, line.hypothesisStatus ?? "", line.tip?.id.short ?? "", subject]
        }
        for line in Output.table(rows, indent: "") { Output.line(line) }
    }
}
