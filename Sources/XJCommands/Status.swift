import ArgumentParser
import Journal

/// `xj status`: the current line of inquiry and what is staged.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the current line of inquiry and what is staged for the next commit.",
        discussion: "Example:\n  xj status --json"
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let branch = try journal.currentBranch()
        let head = try journal.head(of: branch)
        let staged = try journal.stagedRecords()
        let elsewhere = try journal.otherLinesWithStagedWork()
        if json {
            Output.json([
                "branch": .string(branch),
                "head": head.map { .string($0.hex) } ?? .null,
                "staged": .array(staged.map { .object(["path": .string($0.path), "id": .string($0.id.hex)]) }),
                "staged_elsewhere": .object(Dictionary(uniqueKeysWithValues: elsewhere.map { ($0.line, .number(Double($0.records))) })),
            ])
            return
        }
        Output.line("On line of inquiry \(branch)" + (head.map { " at \($0.short)" } ?? " (no commits yet)"))
        if staged.isEmpty {
            Output.line("Nothing staged.")
        } else {
            Output.line("Staged for the next commit:")
            for line in Output.table(staged.map { [$0.path, $0.id.short] }) { Output.line(line) }
        }
        for (line, records) in elsewhere {
            Output.line("Also staged on \(line): \(records) record\(records == 1 ? "" : "s") (xj status --on \(line))")
        }
    }
}
