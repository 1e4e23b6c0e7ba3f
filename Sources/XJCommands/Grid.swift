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
          xj grid --data digits --model mlp hidden=16 dropout=0,0.5 epochs=10 --until-decided --max-seeds 20

        --until-decided (on a hypothesis stated with --sequential) adds seeds 1, 2, … to every point in batches of --batch, commits each batch, records a verdict after it, and stops when every prediction's sequential test can stop or --max-seeds is reached.
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

    @Flag(help: "Add seeds in batches until the line's sequential hypothesis is decided.")
    var untilDecided = false

    @Option(help: "Seeds added per batch with --until-decided.")
    var batch: Int = 2

    @Option(help: "The seed budget with --until-decided.")
    var maxSeeds: Int = 20

    @Option(help: "The significance level of the verdicts with --until-decided.")
    var alpha: Double = 0.05

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
        if untilDecided {
            if random != nil { throw ValidationError("--until-decided runs a grid; it cannot be combined with --random") }
            if dryRun { throw ValidationError("--until-decided trains until decided; it cannot be combined with --dry-run") }
            if message != nil { throw ValidationError("--until-decided writes its own commit messages; drop --message") }
            if batch < 1 { throw ValidationError("--batch must be at least 1, got \(batch)") }
            if maxSeeds < 2 || maxSeeds > 10_000 { throw ValidationError("--max-seeds must be between 2 and 10000, got \(maxSeeds)") }
            guard alpha > 0 && alpha < 0.5 else { throw ValidationError("--alpha must be between 0 and 0.5, got \(alpha)") }
        } else {
            for (name, given) in [("--batch", batch != 2), ("--max-seeds", maxSeeds != 20), ("--alpha", alpha != 0.05)] where given {
                throw ValidationError("\(name) applies only with --until-decided")
            }
        }
    }

    /// The batches of `--until-decided`, one line each, then the final verdict's status.
    func runUntilDecided(_ journal: LabJournal) throws {
        let sweep = SequentialSweep(journal: journal, dataset: target.data, validation: target.val, model: target.model, assignments: parameters,
                                    batchSize: batch, maximumSeeds: maxSeeds, jobs: jobs, alpha: alpha)
        _ = try sweep.hypothesis()
        let interrupt = Interruption.install("interrupted: finished points are staged; run the same command again to go on")
        defer { interrupt.cancel() }
        var bar: ProgressBar?
        let batches = try sweep.run(progress: { done, total, _ in
            if bar == nil { bar = ProgressBar(total: total); bar?.start(status: "\(total) points to train") }
            bar?.update(done, status: "")
            if done == total { bar?.finish(); bar = nil }
        }, report: { batch in
            guard !json else { return }
            let decisions = batch.verdict.results.enumerated().map { index, result in
                "prediction \(index + 1): \(result.sequential?.decision.rawValue ?? result.status.rawValue)" +
                    (result.sequential.map { " (e-value \($0.evidence.isFinite ? PredictionResult.number($0.evidence) : "∞"))" } ?? "")
            }
            Output.line("seeds \(batch.seeds.lowerBound)–\(batch.seeds.upperBound): \(batch.trained) trained" +
                        (batch.brought > 0 ? ", \(batch.brought) already run on another line" : "") + "; " + decisions.joined(separator: "; ") +
                        (batch.recorded.map { " — verdict \($0.commit.id.short)" } ?? ""))
        })
        guard let last = batches.last else { return }
        let decided = SequentialSweep.decided(last.verdict)
        if json {
            let listed: [JSONValue] = batches.map { batch in
                let seeds: JSONValue = .array([.number(Double(batch.seeds.lowerBound)), .number(Double(batch.seeds.upperBound))])
                return .object(["seeds": seeds, "trained": .number(Double(batch.trained)), "status": .string(batch.verdict.status)])
            }
            Output.json(.object(["decided": .bool(decided), "seeds": .number(Double(last.seeds.upperBound)), "verdict": last.verdict.json, "batches": .array(listed)]))
            return
        }
        Output.line(decided ? "decided after \(last.seeds.upperBound) seeds: verdict \(last.verdict.status)"
                            : "not decided within \(maxSeeds) seeds (--max-seeds): verdict \(last.verdict.status); the predictions still say keep going")
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        if untilDecided { return try runUntilDecided(journal) }
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
