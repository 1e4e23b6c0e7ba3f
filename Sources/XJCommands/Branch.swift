import ArgumentParser
import Journal

/// `xj branch [NAME [START]]`: list or create lines of inquiry.
struct Branch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List lines of inquiry (branches), or start a new one.",
        discussion: """
        Examples:
          xj branch                       # list; * marks the current one; hypotheses show open/supported/falsified/mixed
          xj branch dropout-study         # start one at the current commit
          xj branch lr-study main~2       # start one at another revision
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new line of inquiry's name.")
    var name: String?

    @Argument(help: "Where it starts (default: the current commit).")
    var start: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
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
