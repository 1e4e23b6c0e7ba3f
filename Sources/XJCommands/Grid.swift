import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj grid`: a sweep over parameters, resumable, committed once.
struct Grid: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train every point of a parameter grid (or a random search), skipping points already run, and commit the sweep.",
        discussion: """
        A value is a list a,b,c, a whole-number range lo..hi, or (with --random N) a range lo:hi or lo:hi:log. A list-valued parameter inside a grid is written with /, e.g. hidden=128/64,256. Every finished point is staged at once, so a sweep that was killed resumes where it stopped when the same command is run again: the finished points are skipped.

        Examples:
          xj grid --data digits --model mlp lr=0.1,0.01,0.001 hidden=32,64 seed=1..3 epochs=10
          xj grid --data digits --model mlp --random 20 --seed 7 lr=1e-4:1e-1:log dropout=0:0.5
          xj grid --data digits --model mlp hidden=32,64 seed=1..8 --jobs 2
          xj grid --data digits --model linear lr=0.1,0.01 --dry-run
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @OptionGroup var target: TrainingTargetOptions

    @Option(help: "Draw this many random points instead of the full grid.")
    var random: Int?

    @Option(help: "The random search's seed.")
    var seed: UInt64 = 0

    @Option(help: "Train this many points at once (each with one BLAS thread).")
    var jobs: Int = 1

    @Flag(help: "List the points and which are already run; train nothing.")
    var dryRun = false

    @Option(name: .shortAndLong, help: "The commit message (default: a summary of the sweep).")
    var message: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("Parameters and their values.", valueName: "key=values"))
    var parameters: [String] = []

    /// A parameter value for the summary table: drawn numbers to four significant digits.
    static func shown(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        return value.numberValue.map { Output.number($0) } ?? value.displayText
    }

    func validate() throws {
        if let random, random < 1 { throw ValidationError("--random must be at least 1, got \(random)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        let plan = try GridPlan(assignments: parameters)
        let runner = GridRunner(journal: journal)
        let points = try runner.plan(dataset: target.data, validation: target.val, model: target.model, points: try plan.points(random: random, seed: seed))
        let keys = plan.varyingKeys
        if dryRun {
            if json { Output.json(.array(points.map(\.json))); return }
            Output.line("\(points.count) points, \(points.filter(\.isKnown).count) already run:")
            let rows = points.map { point in keys.map { Self.shown(point.parameters[$0]) } + [point.runKey.short, point.isKnown ? "already run" : "to run"] }
            for line in Output.table([keys + ["run key", ""]] + rows) { Output.line(line) }
            return
        }
        let skipped = points.filter(\.isKnown)
        if !json && !skipped.isEmpty {
            Output.line("skipping \(skipped.count) point\(skipped.count == 1 ? "" : "s") already run: " +
                        skipped.prefix(8).map { point in keys.map { "\($0)=\(point.parameters[$0]!.displayText)" }.joined(separator: " ") }.joined(separator: "; ") +
                        (skipped.count > 8 ? "; …" : ""))
        }
        let toRun = points.count - skipped.count
        let bar = ProgressBar(total: toRun)
        bar.start(status: "\(toRun) point\(toRun == 1 ? "" : "s") to train")
        let interrupt = Interruption.install("interrupted: every finished point is staged; run the same command again to train the rest, or xj commit to record them")
        defer { interrupt.cancel() }
        let finished = try runner.run(points, dataset: target.data, validation: target.val, model: target.model, jobs: jobs) { done, point in
            bar.update(done, status: point.validationLoss.map { "last val_loss \(Output.number4($0))" } ?? "")
        }
        bar.finish()
        let trained = finished.filter { $0.trained != nil }.count
        // Only this sweep's experiments are committed; other staged work stays staged.
        let stage = JournalLayout.stageReference(try journal.currentBranch())
        let ownPaths = Set(finished.flatMap { $0.stagedPaths(stage: stage) })
        var commit: JournalRecord?
        if !ownPaths.isEmpty {
            let summary = message ?? "grid \(target.model) on \(target.data): \(points.count) points (\(trained) trained, \(points.count - trained) already run); " +
                parameters.joined(separator: " ")
            do {
                commit = try journal.commit(message: summary, only: ownPaths)
            } catch JournalError.nothingStaged {
                // Another process committed these points first; they are recorded.
            }
        }
        let sorted = finished.sorted { ($0.validationLoss ?? .infinity) < ($1.validationLoss ?? .infinity) }
        if json {
            var members: [String: JSONValue] = ["points": .array(sorted.map(\.json)), "trained": .number(Double(trained))]
            if let commit { members["commit"] = .string(commit.commit.id.hex) }
            Output.json(.object(members))
            return
        }
        let scoreName = sorted.compactMap { $0.validationScore?.0 }.first ?? "val_accuracy"
        var rows = [keys + ["val_loss", scoreName, "experiment", ""]]
        for point in sorted {
            rows.append(keys.map { Self.shown(point.parameters[$0]) } + [
                point.validationLoss.map(Output.number4) ?? "-", point.validationScore.map { Output.number4($0.1) } ?? "-",
                String((point.experimentID ?? "").prefix(7)), point.trained != nil ? "new" : "already run",
            ])
        }
        for line in Output.table(rows) { Output.line(line) }
        if let commit {
            let count = ownPaths.count
            Output.line("[\(try journal.currentBranch()) \(commit.commit.id.short)] \(count) experiment\(count == 1 ? "" : "s") committed")
        } else { Output.line("nothing new to commit") }
        Output.noteStagedWork(journal, notIncludedIn: "this sweep's commit")
    }
}
