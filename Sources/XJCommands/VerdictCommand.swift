import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj verdict`: judge the current hypothesis from the recorded experiments and record the verdict.
struct VerdictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verdict",
        abstract: "Judge the current line of inquiry's hypothesis from its committed experiments, and record the verdict.",
        discussion: """
        Each prediction is SUPPORTED, FALSIFIED, INCONCLUSIVE or AMBIGUOUS, with each side's aggregate and n, the margin, the difference left − right with the one-sided confidence bound that matches the test (at 1 − α), the test's statistic, and the p-values of the predicted and of the opposite direction; then each group's mean, sd and IQM, the t and BCa bootstrap intervals, the effect size, P(left > right), the power and the n that would give 0.8, and Holm's adjustment when several predictions are tested. Means are judged by the paired t-test when both groups ran the same seeds (--unpaired: Welch's), else Welch's (one-sample against a number); iqm(…), median(…) and prob(…) by bootstrap tests. A hypothesis stated with --sequential is judged by an always-valid test ("can stop" / "keep going"). A verdict drawn again after runs were added warns that each look inflates false positives. Docs/Statistics.md gives every formula. The verdict is committed as verdict.json with a message that summarises it, so history shows when a hypothesis was falsified.

        A prediction whose groups pool experiments that differ in something it does not pin (another dataset, model, lr, hidden…; seeds excepted), or whose two groups differ in such a thing, is AMBIGUOUS and says what differs: pin it in the selectors (`dataset=wine`, `model=mlp`, `hidden=256`), or pass --pool. Diverged and failed runs are left out unless a selector pins `status`, and the verdict says how many it left out.

        Examples:
          xj verdict
          xj verdict --alpha 0.01 --json
          xj verdict --dry-run      # judge without recording
          xj verdict --pool         # judge pooled groups as they are
          xj verdict --unpaired     # Welch's test even when the groups share seeds
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Option(help: "The significance level.")
    var alpha: Double = 0.05

    @Flag(help: "Judge without recording the verdict.")
    var dryRun = false

    @Flag(help: "Judge groups that pool experiments differing in something the prediction does not pin (otherwise such a prediction is ambiguous).")
    var pool = false

    @Flag(help: "Never pair the two groups by seed (by default groups that ran the same seeds under both conditions get the paired t-test).")
    var unpaired = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard alpha > 0 && alpha < 0.5 else { throw ValidationError("--alpha must be between 0 and 0.5, got \(alpha)") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let branch = try journal.currentBranch()
        // Judged from what is committed: a verdict must stand on records others can see.
        guard let state = try journal.committedState(),
              let hypothesis = try journal.hypothesis(in: state, name: branch.replacingOccurrences(of: JournalLayout.hypothesisBranchPrefix, with: "")) else {
            throw JournalError.noHypothesis(branch: branch)
        }
        let evaluator = VerdictEvaluator(alpha: alpha, pool: pool, unpaired: unpaired, datasetNames: try journal.datasetIDs(in: state), tags: try journal.tags(in: state))
        let experiments = try journal.experimentColumns(in: state)
        let verdict = try evaluator.judge(hypothesis, experiments: experiments)
        Output.noteStagedWork(journal, notIncludedIn: "this verdict")
        var record: JournalRecord?
        if !dryRun { record = try journal.recordVerdict(verdict.json, message: verdict.summary) }
        if json {
            var members = verdict.json.objectValue ?? [:]
            if let record { members["commit"] = .string(record.commit.id.hex) }
            Output.json(.object(members))
            return
        }
        Output.line("hypothesis \(hypothesis.name) — \(verdict.experiments) experiments, α = \(alpha)" + (verdict.sequential ? ", sequential (look \(verdict.looks.count))" : ""))
        if let warning = verdict.lookWarning { Output.line("warning: " + warning) }
        for (index, result) in verdict.results.enumerated() {
            Output.line("  prediction \(index + 1): \(result.status.rawValue.uppercased())  \(result.prediction.text)")
            for line in result.lines { Output.line("      " + line) }
            Output.line("      \(result.reason)" + (result.runsNeeded.map { "; about \($0) runs per side would decide it" } ?? ""))
        }
        Output.line("verdict: \(verdict.status)" + (record.map { " — recorded as \($0.commit.id.short)" } ?? " (not recorded)"))
    }
}
