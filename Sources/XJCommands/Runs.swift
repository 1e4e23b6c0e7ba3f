import ArgumentParser
import Journal

/// `xj runs`: every recorded run key and its experiments, from the run index.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recorded runs: run key → experiments, where they are recorded, headline metrics.",
        discussion: """
        Covers every line of inquiry, remote-tracking branch and the stage, through the run index (.journal/xj/runindex), which is brought up to date first.

        Examples:
          xj runs
          xj runs 3f2a91c --json     # one run key (by prefix)
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only run keys starting with this prefix.")
    var runKey: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        let index = RunIndex(journal: journal)
        var entries: [RunIndexEntry]
        if let runKey, let key = ObjectID(hex: runKey) {
            entries = try index.experiments(runKey: key)
        } else {
            entries = try index.allEntries()
            if let runKey { entries = entries.filter { $0.runKey.hex.hasPrefix(runKey.lowercased()) } }
        }
        var groups: [(ObjectID, [RunIndexEntry])] = []
        for entry in entries {
            if groups.last?.0 == entry.runKey { groups[groups.count - 1].1.append(entry) } else { groups.append((entry.runKey, [entry])) }
        }
        if json {
            Output.json(.array(groups.map { key, members in
                .object(["run_key": .string(key.hex), "experiments": .array(members.map(\.json))])
            }))
            return
        }
        if groups.isEmpty { Output.line(runKey == nil ? "No runs recorded yet." : "No run key starts with \(runKey!).") }
        var rows = [["run key", "experiment", "where", "val_loss", "score", "ran"]]
        for (key, members) in groups {
            for (position, entry) in members.enumerated() {
                rows.append([position == 0 ? key.short : "", entry.experiment.short,
                             entry.references.map(RunIndexEntry.shortName).joined(separator: ","),
                             entry.validationLoss.isNaN ? "-" : Output.number4(entry.validationLoss),
                             entry.validationScore.isNaN ? "-" : "\(entry.scoreName) \(Output.number4(entry.validationScore))",
                             entry.started > 0 ? Output.age(entry.started) : "-"])
            }
        }
        for line in Output.table(rows) { Output.line(line) }
    }
}
