import ArgumentParser
import Journal

/// `xj fsck`: check every object and record.
struct Fsck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check the journal: every reachable object inflates and hashes to its id; every record follows FORMAT.md.",
        discussion: """
        Exits with status 1 when it finds a problem. Plain git checks the same repository with
          git --git-dir=.journal fsck --strict

        Examples:
          xj fsck --json
          xj fsck --full      # also rescan every dataset against its manifest
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also rescan every dataset's data and compare it with its manifest (rows, columns, label, classes).")
    var full = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        let report = try journal.fsck(full: full)
        if json {
            Output.json(report.json)
        } else {
            Output.line("checked \(report.references) refs, \(report.commits) commits, \(report.objects) objects, \(report.datasets) datasets, \(report.parameterSets) parameter sets, \(report.experiments) experiments")
            for problem in report.problems { Output.line("problem: \(problem)") }
            if report.isClean { Output.line("ok") }
        }
        if !report.isClean { throw CommandFailure(message: "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found") }
    }
}
