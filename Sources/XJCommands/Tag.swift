import ArgumentParser
import Journal

/// `xj tag EXP NAME…`: tags on an experiment, committed on the current line of inquiry.
struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag an experiment (or remove tags with -d); with no names, list its tags.",
        discussion: """
        Tags are records of the line of inquiry (tags/<experiment id>/<tag>), committed at once \
        without touching what is staged, so they travel with push and pull; two people tagging the same \
        experiment never conflict. xj runs shows them and selects on them: --where "tag = best".

        Examples:
          xj tag 3f2a91c best baseline
          xj tag -d 3f2a91c baseline
          xj tag 3f2a91c            # lists its tags
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Argument(help: "The experiment's id or a prefix of it (at least 4 hex digits).")
    var experiment: String

    @Argument(help: "Tags to add (or, with -d, to remove).")
    var names: [String] = []

    @Flag(name: [.customShort("d"), .customLong("delete")], help: "Remove the named tags.")
    var delete = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if delete && names.isEmpty { throw ValidationError("-d needs the tags to remove, e.g. xj tag -d 3f2a91c baseline") }
        for name in names { try RecordNames.validate(name, kind: "tag") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let id = try journal.recordedExperiment(matching: experiment)
        let commit = names.isEmpty ? nil
            : try journal.tag(experiment: id, adding: delete ? [] : names, removing: delete ? names : [])
        let tags = try journal.workingState().map { try journal.tags(in: $0)[id] ?? [] } ?? []
        if json {
            Output.json(.object(["experiment": .string(id.hex), "tags": .array(tags.map(JSONValue.string)),
                                 "commit": commit.map { .string($0.hex) } ?? .null]))
            return
        }
        if let commit { Output.line("[\(try journal.currentBranch()) \(commit.short)] " + (delete ? "untagged" : "tagged") + " \(id.short)") }
        else if !names.isEmpty { Output.line("Nothing changed: \(id.short) " + (delete ? "has none of these tags." : "has these tags already.")) }
        Output.line(tags.isEmpty ? "\(id.short) has no tags." : "\(id.short): " + tags.joined(separator: ", "))
    }
}
