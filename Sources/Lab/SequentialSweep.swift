import Journal

/// `xj grid --until-decided`: adds seeds to every point of a sweep in batches, commits each batch,
/// records a verdict on the line's sequential hypothesis after it, and stops when every prediction
/// can stop (supported or falsified) or the seed budget is spent. The always-valid test is what makes
/// looking after every batch honest.
public struct SequentialSweep {
    public struct Batch: Sendable {
        public let seeds: ClosedRange<Int>
        public let trained: Int
        /// Points already run on another line, brought into this one.
        public let brought: Int
        public let verdict: Verdict
        public let recorded: JournalRecord?
    }

    public let journal: LabJournal
    public let dataset: String
    public let validation: String?
    public let model: String
    /// The sweep's other axes (no `seed`).
    public let assignments: [String]
    public let batchSize: Int
    public let maximumSeeds: Int
    public let jobs: Int
    public let alpha: Double

    public init(journal: LabJournal, dataset: String, validation: String?, model: String, assignments: [String],
                batchSize: Int, maximumSeeds: Int, jobs: Int, alpha: Double) {
        (self.journal, self.dataset, self.validation, self.model, self.assignments) = (journal, dataset, validation, model, assignments)
        (self.batchSize, self.maximumSeeds, self.jobs, self.alpha) = (batchSize, maximumSeeds, jobs, alpha)
    }

    /// The line's hypothesis, which must be sequential.
    /// - Throws: `LabError.invalidParameter` when the sweep cannot be run this way.
    public func hypothesis() throws -> Hypothesis {
        if let seed = assignments.first(where: { $0.hasPrefix("seed=") }) {
            throw LabError.invalidParameter(key: "seed", message: "--until-decided chooses the seeds itself (1, 2, … in batches); drop `\(seed)`")
        }
        let branch = try journal.currentBranch()
        guard branch.hasPrefix(JournalLayout.hypothesisBranchPrefix), let hypothesis = try journal.hypothesis(onBranch: branch) else {
            throw LabError.invalidParameter(key: "--until-decided", message: "\(branch) states no hypothesis; switch to a hypothesis/… line stated with --sequential")
        }
        guard hypothesis.sequential else {
            throw LabError.invalidParameter(key: "--until-decided", message: "hypothesis \(hypothesis.name) was not stated with --sequential; judging it after every batch " +
                                            "would inflate its false positives (state it again with xj hypothesis new … --sequential)")
        }
        return hypothesis
    }

    /// Runs batches until decided. `progress` reports each point trained; `report` each batch.
    public func run(progress: @escaping (Int, Int, GridPoint) -> Void, report: (Batch) -> Void) throws -> [Batch] {
        let name = try hypothesis().name
        let runner = GridRunner(journal: journal)
        var batches: [Batch] = []
        var first = 1
        while first <= maximumSeeds {
            // The first batch has at least two seeds: a test needs two runs a side.
            let last = min(maximumSeeds, first + max(batchSize, first == 1 ? 2 : 1) - 1)
            let plan = try GridPlan(assignments: assignments + ["seed=\(first)..\(last)"])
            let points = try runner.plan(dataset: dataset, validation: validation, model: model, points: try plan.points())
            let pending = points.filter { !$0.isKnown }.count
            let finished = try runner.run(points, dataset: dataset, validation: validation, model: model, jobs: jobs) { done, point in
                progress(done, pending, point)
            }
            let line = try journal.currentBranch()
            let stage = JournalLayout.stageReference(line)
            var own = Set(finished.flatMap { $0.stagedPaths(stage: stage) })
            // A point already run on another line counts here too: the verdict must see every seed.
            var brought = 0
            for point in finished where point.trained == nil {
                guard let entry = point.known.first,
                      !point.known.contains(where: { $0.references.contains(JournalLayout.branchReference(line)) || $0.references.contains(stage) }) else { continue }
                let path = JournalLayout.experimentPath(runKey: entry.runKey.hex, experiment: entry.experiment.hex)
                try journal.stage([path: .tree(entry.experiment.hex, TreeID(entry.experiment))], note: "experiment \(entry.experiment.short) from another line")
                own.insert(path)
                brought += 1
            }
            if !own.isEmpty {
                do {
                    _ = try journal.commit(message: "grid \(model) on \(dataset) until decided: seeds \(first)–\(last); " + assignments.joined(separator: " "), only: own)
                } catch JournalError.nothingStaged {}
            }
            guard let state = try journal.committedState(), let hypothesis = try journal.hypothesis(in: state, name: name) else {
                throw JournalError.noHypothesis(branch: try journal.currentBranch())
            }
            let verdict = try VerdictEvaluator(alpha: alpha, datasetNames: try journal.datasetIDs(in: state), tags: try journal.tags(in: state))
                .judge(hypothesis, experiments: try journal.experimentColumns(in: state))
            let recorded = try journal.recordVerdict(verdict.json, message: verdict.summary)
            let batch = Batch(seeds: first...last, trained: finished.filter { $0.trained != nil }.count, brought: brought, verdict: verdict, recorded: recorded)
            batches.append(batch)
            report(batch)
            if Self.decided(verdict) { break }
            first = last + 1
        }
        return batches
    }

    /// Every prediction can stop: its sequential test is supported or falsified.
    public static func decided(_ verdict: Verdict) -> Bool {
        verdict.results.allSatisfy { ($0.sequential?.decision ?? .keepGoing) != .keepGoing }
    }
}
