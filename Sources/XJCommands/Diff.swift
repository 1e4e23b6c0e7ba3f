import ArgumentParser
import Journal

/// `xj diff A B`: what differs between two revisions.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what differs between two revisions: datasets, parameter sets key by key, other records.",
        discussion: """
        Examples:
          xj diff main dropout-study
          xj diff HEAD~1 HEAD --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The older revision.")
    var from: String

    @Argument(help: "The newer revision.")
    var to: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        let diff = try journal.diff(from, to)
        if json {
            Output.json(diff.json)
            return
        }
        Output.line("diff \(diff.from.short)..\(diff.to.short)")
        if diff.isEmpty { Output.line("  no differences") }
        for record in diff.records {
            let ids = "\(record.oldID?.short ?? "-") → \(record.newID?.short ?? "-")"
            Output.line("\(record.change.rawValue) \(record.kind) \(record.name) (\(ids))")
            let rows = record.values.map { ["  " + $0.key, $0.old?.displayText ?? "(none)", "→", $0.new?.displayText ?? "(none)"] }
            for line in Output.table(rows) { Output.line(line) }
        }
        for other in diff.others { Output.line("\(other.kind.rawValue) \(other.record.path)") }
    }
}
