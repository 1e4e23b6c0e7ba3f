import ArgumentParser
import Journal
import Lab

/// The `grid …` a cluster sweep runs, parsed and checked the way `xj grid` parses it.
struct SweepGrid {
    let grid: Grid
    /// The arguments after `grid`.
    let arguments: [String]

    init(_ command: [String]) throws {
        guard command.first == "grid" else {
            throw CommandFailure(status: 64, message: "after -- give the sweep as `grid --data … --model … key=values`" + (command.first.map { ", not \($0.debugDescription)" } ?? ""))
        }
        arguments = Array(command.dropFirst())
        do {
            grid = try Grid.parse(arguments)
        } catch {
            throw CommandFailure(status: 64, message: "the sweep's grid: " + Grid.message(for: error))
        }
        let refused: [(String, Bool)] = [("--suggest", grid.suggest != nil), ("--until-decided", grid.untilDecided), ("--dry-run", grid.dryRun),
                                         ("--json", grid.json), ("--shard", grid.shard != nil), ("--on", grid.lineOfInquiry.line != nil),
                                         ("--journal", grid.global.journal != nil)]
        if let (name, _) = refused.first(where: \.1) {
            throw CommandFailure(status: 64, message: "the sweep's grid cannot take \(name): each task runs its own shard of a fixed grid on the line the sweep names")
        }
    }

    /// Every point of the grid (or random search), with run keys and what `journal` has recorded for them.
    func plan(in journal: LabJournal) throws -> [GridPoint] {
        let plan = try GridPlan(assignments: grid.parameters)
        return try GridRunner(journal: journal).plan(dataset: grid.target.data, validation: grid.target.val, model: grid.target.model,
                                                     points: try plan.points(random: grid.random, seed: grid.seed))
    }
}
