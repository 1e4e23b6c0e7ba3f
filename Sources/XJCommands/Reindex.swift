import ArgumentParser
import Foundation
import Journal

/// `xj reindex`: rebuild the run index from the objects.
struct Reindex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the run index (.journal/xj/runindex) from the journal's objects.",
        discussion: "xj also rebuilds it by itself when it is missing or unreadable, and updates it when refs move.\n\nExample:\n  xj reindex"
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        let started = Date()
        let snapshot = try RunIndex(journal: journal).rebuild()
        let seconds = Date().timeIntervalSince(started)
        let keys = Set(snapshot.entries.map(\.runKey)).count
        if json {
            Output.json(["experiments": .number(Double(snapshot.entries.count)), "run_keys": .number(Double(keys)),
                         "refs": .number(Double(snapshot.references.count)), "seconds": .number(seconds)])
        } else {
            Output.line("indexed \(snapshot.entries.count) experiments under \(keys) run keys from \(snapshot.references.count) refs in \(String(format: "%.2f", seconds)) s")
        }
    }
}
