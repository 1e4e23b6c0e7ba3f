import ArgumentParser
import Journal

/// `xj switch NAME`: change the current line of inquiry.
struct Switch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make another line of inquiry the current one.",
        discussion: """
        Examples:
          xj switch dropout-study
          xj switch -c lr-study      # start it here and switch to it
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .shortAndLong, help: "Create the line of inquiry first.")
    var create = false

    @Argument(help: "The line of inquiry.")
    var name: String

    func run() throws {
        let journal = try global.openJournal()
        if create { _ = try journal.createBranch(name) }
        try journal.switchBranch(to: name)
        Output.line("Switched to line of inquiry \(name)")
    }
}
