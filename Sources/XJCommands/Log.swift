import ArgumentParser
import Journal

/// `xj log`: the history of a line of inquiry.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the history of the current line of inquiry (or of a revision), newest first.",
        discussion: """
        Examples:
          xj log
          xj log -n 5 --json
          xj log dropout-study
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A branch or commit (default: the current line of inquiry).")
    var revision: String?

    @Option(name: .shortAndLong, help: "Show at most this many commits.")
    var number: Int?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if let number, number < 1 { throw ValidationError("-n must be at least 1, got \(number)") }
    }

    func run() throws {
        let journal = try global.openJournal()
        // --json carries each commit's changes, as `xj show --json` does.
        let records = try journal.log(from: revision, limit: number, detailed: json)
        if json {
            Output.json(.array(records.map(\.json)))
            return
        }
        if records.isEmpty { Output.line("No commits yet on \(try revision ?? journal.currentBranch()).") }
        for record in records {
            let branches = record.branches.isEmpty ? "" : " (\(record.branches.joined(separator: ", ")))"
            let status = record.hypothesisStatus.map { " [hypothesis \($0)]" } ?? ""
            let subject = record.note.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            Output.line("\(record.commit.id.short)\(branches)\(status) \(Output.date(record.commit.author.date))  \(subject)")
            let summary = record.changeSummary
            if !summary.isEmpty { Output.line("        \(summary)") }
        }
    }
}
