import ArgumentParser
import Journal

/// `xj note EXP "text"`: a note on an experiment, committed on the current line of inquiry.
struct Note: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Write a note on an experiment (or remove it with -d); with no text, print it.",
        discussion: """
        The note is a record of the line of inquiry (notes/<experiment id>), committed at once without \
        touching what is staged; it travels with push and pull. Writing a new note replaces the old one.

        Examples:
          xj note 3f2a91c "diverged after epoch 12: lr too high for batch 32"
          xj note 3f2a91c           # prints it
          xj note -d 3f2a91c
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Argument(help: "The experiment's id or a prefix of it (at least 4 hex digits).")
    var experiment: String

    @Argument(help: "The note's text.")
    var text: String?

    @Flag(name: [.customShort("d"), .customLong("delete")], help: "Remove the note.")
    var delete = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if delete && text != nil { throw ValidationError("-d removes the note; give no text with it") }
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the note is empty; xj note -d removes a note") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let id = try journal.recordedExperiment(matching: experiment)
        var commit: CommitID? = nil
        if delete || text != nil { commit = try journal.setNote(experiment: id, delete ? nil : text) }
        let note = try journal.workingState().flatMap { try journal.notes(in: $0)[id] }
        if json {
            Output.json(.object(["experiment": .string(id.hex), "note": note.map(JSONValue.string) ?? .null, "commit": commit.map { .string($0.hex) } ?? .null]))
            return
        }
        if let commit { Output.line("[\(try journal.currentBranch()) \(commit.short)] " + (delete ? "removed the note on" : "noted") + " \(id.short)") }
        else if delete { Output.line("\(id.short) has no note.") }
        if !delete { Output.line(note ?? "\(id.short) has no note.") }
    }
}
