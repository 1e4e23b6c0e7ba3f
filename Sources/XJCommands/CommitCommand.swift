import ArgumentParser
import Journal

/// `xj commit -m NOTE`: record what is staged.
struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Record what is staged on the current line of inquiry, with your note.",
        discussion: """
        Examples:
          xj commit -m "add the digits data"
          xj commit --allow-empty -m "idea: try a smaller hidden layer next"
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Option(name: .shortAndLong, help: "The note; several -m are joined as paragraphs.")
    var message: [String] = []

    @Flag(help: "Record a commit even when nothing is staged.")
    var allowEmpty = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard !message.isEmpty else { throw ValidationError("a commit needs a note: -m \"what this records\"") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let record = try journal.commit(message: message.joined(separator: "\n\n"), allowEmpty: allowEmpty)
        if json {
            Output.json(record.json)
        } else {
            let summary = record.changeSummary
            Output.line("[\(try journal.currentBranch()) \(record.commit.id.short)] \(message[0])" + (summary.isEmpty ? "" : " (\(summary))"))
        }
    }
}
