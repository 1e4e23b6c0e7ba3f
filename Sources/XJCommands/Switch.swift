import ArgumentParser
import Journal

/// `xj switch NAME`: change the current line of inquiry.
struct Switch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "Make another line of inquiry the current one.",
        discussion: """
        Examples:
          xj switch dropout-study
          xj switch -c lr-study      # start it here and switch to it
          xj switch --carry side     # take the staged work along

        Each line of inquiry keeps its own stage: work staged on one line stays there when you switch, and \
        `--on LINE` lets a command (train, grid, run, add, commit, verdict, status) work on another line \
        without switching, so two terminals can work on two lines of one journal at once.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .shortAndLong, help: "Create the line of inquiry first.")
    var create = false

    @Flag(help: "Take the staged work along to the new line of inquiry (laid over what is staged there).")
    var carry = false

    @Argument(help: "The line of inquiry.", completion: NameCompletion.lines)
    var name: String

    func run() throws {
        let journal = try global.openJournal()
        if create { _ = try journal.createBranch(name) }
        let from = try journal.currentBranch()
        var staged = try journal.stagedRecords().count
        try journal.switchBranch(to: name)
        Output.line("Switched to line of inquiry \(name)")
        if carry && staged > 0 && from != name {
            let moved = try journal.carryStage(to: name)
            Output.line("carried \(moved) staged record\(moved == 1 ? "" : "s") from \(from)")
            staged = 0
        }
        if staged > 0 && from != name {
            // Each line keeps its own stage: say where the staged work stayed.
            Output.line("\(staged) staged record\(staged == 1 ? " stays" : "s stay") on \(from) (xj commit --on \(from) records them; --carry takes them along)")
        }
    }
}
