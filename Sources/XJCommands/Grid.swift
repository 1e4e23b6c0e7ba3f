import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj grid`: a sweep over parameters, resumable, committed once.
struct Grid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Train every point of a parameter grid (or a random search), skipping points already run, and commit the sweep.",
        discussion: """
        A value is a list a,b,c, a whole-number range lo..hi, or (with --random N) a range lo:hi or lo:hi:log. A list-valued parameter inside a grid is written with /, e.g. hidden=128/64,256. Every finished point is staged at once, so a sweep that was killed resumes where it stopped when the same command is run again: the finished points are skipped.

        Examples:
          xj grid --data digits --model mlp lr=0.1,0.01,0.001 hidden=32,64 seed=1..3 epochs=10
          xj grid --data digits --model mlp --random 20 --seed 7 lr=1e-4:1e-1:log dropout=0:0.5
          xj grid --data digits --model mlp hidden=32,64 seed=1..8 --jobs 2
          xj grid --data digits --model linear lr=0.1,0.01 --dry-run
          xj grid --data digits --model mlp hidden=16 dropout=0,0.5 epochs=10 --until-decided --max-seeds 20
          xj grid --data digits --model mlp lr=1e-4:1e-1:log hidden=16..512:log epochs=10 --suggest 40 --jobs 2
          xj grid --data digits --model mlp lr=0.1,0.01 hidden=32,64 seed=1..4 --shard 3/4

        --shard K/N trains only the K-th of N shares of the points (sorted by run key, every N-th): N processes with 1/N … N/N train the whole sweep, on one machine or many, and no point is in two shares. --shard auto reads the share from a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT); xj sweep submit does all of this for a cluster.

        --suggest N optimises instead (the ranges as in xj suggest): the Gaussian process's suggestions are trained --jobs at a time, each staged as it finishes, until N comparable runs of the search are recorded; a killed loop resumes when run again, and no run key is trained twice.

        --until-decided (on a hypothesis stated with --sequential) adds seeds 1, 2, … to every point in batches of --batch, commits each batch, records a verdict after it, and stops when every prediction's sequential test can stop or --max-seeds is reached.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @OptionGroup var target: TrainingTargetOptions

    @OptionGroup var stored: StoredParametersOption

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

    @Option(help: ArgumentHelp("Optimise instead of sweeping: train suggested points until this many comparable runs of the search exist (a killed loop resumes).", valueName: "N"))
    var suggest: Int?

    @Flag(help: "Add seeds in batches until the line's sequential hypothesis is decided.")
    var untilDecided = false

    @Option(help: "Seeds added per batch with --until-decided.")
    var batch: Int = 2

    @Option(help: "The seed budget with --until-decided.")
    var maxSeeds: Int = 20

    @Option(help: "The significance level of the verdicts with --until-decided.")
    var alpha: Double = 0.05

    @Option(help: ArgumentHelp("Run only this share of the points: K/N (the points sorted by run key, every N-th from the K-th), or auto inside a Slurm job array.", valueName: "K/N|auto"))
    var shard: String?

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
        if shard != nil && (suggest != nil || untilDecided) {
            throw ValidationError("--shard splits a fixed grid or random search; it cannot be combined with --suggest or --until-decided")
        }
        if let suggest {
            guard suggest >= 1 && suggest <= 10_000 else { throw ValidationError("--suggest must be between 1 and 10000, got \(suggest)") }
            if random != nil || untilDecided || dryRun { throw ValidationError("--suggest runs its own loop; it cannot be combined with --random, --until-decided or --dry-run") }
        }
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

    /// `--suggest N`: batches of `--jobs` suggestions, trained and staged as they finish, until N
    /// comparable runs of the search exist; then one commit of what this loop trained.
    func runSuggestions(_ journal: LabJournal, until total: Int) throws {
        let search = try Suggester.search(parameters)
        let suggester = Suggester(journal: journal)
        let runner = GridRunner(journal: journal)
        let interrupt = Interruption.install("interrupted: every finished point is staged; run the same command again to go on, or xj commit to record them")
        defer { interrupt.cancel() }
        var finished: [GridPoint] = []
        var comparable = 0
        var method = ""
        let bar = json ? nil : ProgressBar(total: total)
        while true {
            let outcome = try suggester.suggest(search, dataset: target.data, validation: target.val, model: target.model, metric: "val_loss",
                                                maximize: false, count: max(1, min(jobs, total)), seed: seed)
            comparable = outcome.comparable
            method = outcome.method
            if bar != nil && finished.isEmpty { bar?.start(status: "\(comparable) of \(total) trials recorded") }
            let remaining = total - comparable
            guard remaining > 0, !outcome.suggestions.isEmpty else { break }
            let points = try runner.plan(dataset: target.data, validation: target.val, model: target.model,
                                         points: outcome.suggestions.prefix(remaining).map(\.parameters))
            finished += try runner.run(points, dataset: target.data, validation: target.val, model: target.model, jobs: jobs)
            bar?.update(min(total, comparable + points.count), status: finished.compactMap(\.validationLoss).min().map { "best new val_loss \(Output.number4($0))" } ?? "")
        }
        bar?.finish()
        let stage = JournalLayout.stageReference(try journal.currentBranch())
        let own = Set(finished.flatMap { $0.stagedPaths(stage: stage) })
        var commit: JournalRecord?
        if !own.isEmpty {
            commit = try journal.commit(message: message ?? "grid \(target.model) on \(target.data): \(finished.count) suggested trials (\(comparable) of \(total) recorded); " +
                                        parameters.joined(separator: " "), only: own)
        }
        let sorted = finished.sorted { ($0.validationLoss ?? .infinity) < ($1.validationLoss ?? .infinity) }
        if json {
            var members: [String: JSONValue] = ["points": .array(sorted.map(\.json)), "trained": .number(Double(finished.count)),
                                                "comparable_runs": .number(Double(comparable)), "method": .string(method),
                                                "exhausted": .bool(comparable < total)]
            if let commit { members["commit"] = .string(commit.commit.id.hex) }
            Output.json(.object(members))
            return
        }
        Output.line("\(comparable) of \(total) trials recorded (\(finished.count) trained now, last by \(method))")
        // The loop stops short only when no new point is left to suggest: said, so a short search is not mistaken for a full one.
        if comparable < total { Output.line("the search space holds no other point: every one it can draw is recorded") }
        let keys = search.dimensions.map(\.0)
        var rows = [keys + ["val_loss", "experiment"]]
        for point in sorted { rows.append(keys.map { Self.shown(point.parameters[$0]) } + [point.validationLoss.map(Output.number4) ?? "-", String((point.experimentID ?? "").prefix(7))]) }
        if !sorted.isEmpty { for line in Output.table(rows) { Output.line(line) } }
        if let commit { Output.line("[\(try journal.currentBranch()) \(commit.commit.id.short)] \(own.count) experiment\(own.count == 1 ? "" : "s") committed") }
        else { Output.line("nothing new to train") }
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
        // A stored parameter set (--params) enters as one-value axes under the sweep's own arguments.
        var grid = self
        grid.parameters = try stored.gridAssignments(journal, parameters)
        try grid.sweep(journal)
    }

    private func sweep(_ journal: LabJournal) throws {
        if untilDecided { return try runUntilDecided(journal) }
        if let suggest { return try runSuggestions(journal, until: suggest) }
        let plan = try GridPlan(assignments: parameters)
        let runner = GridRunner(journal: journal)
        var points = try runner.plan(dataset: target.data, validation: target.val, model: target.model, points: try plan.points(random: random, seed: seed))
        let keys = plan.varyingKeys
        if let shard {
            let share = try GridShard(parsing: shard, environment: ProcessInfo.processInfo.environment)
            let all = points.count
            points = share.select(points)
            if !json { Output.line("shard \(share): \(points.count) of \(all) points") }
        }
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
