import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj reproduce`: run an experiment again from its recorded inputs and say whether it came out the same.
struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run an experiment again from its recorded inputs, compare the results, and record the run as a replicate.",
        discussion: """
        A built-in training run is trained again on the recorded dataset with the recorded parameters; an `xj run` program is run again in a scratch checkout of its recorded code (its working directory) and input files, with its recorded parameters. The outcome is one of:
          bit-identical                 every metric and the weights are equal bit for bit
          identical within tolerance    every |Δ| ≤ --tolerance · max(1, |recorded|); the largest are shown
          diverged                      the metrics (and by how much) beyond the tolerance
        When the results differ, the environment fingerprint recorded in run.json (xj version, BLAS library, kernels and threads, CPU model and ISA extensions, OS) is compared and what differs is named. Works in a clone on another machine too. The new run is committed on the current line as a replicate of the same run key (run.json says replicate_of and whether it was deterministic). Exits 1 when the reproduction diverged.

        Examples:
          xj reproduce 5dfe28a
          OPENBLAS_NUM_THREADS=1 xj reproduce 5dfe28a --tolerance 1e-3
          xj reproduce 5dfe28a --json
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Argument(help: "The experiment (an id prefix).")
    var experiment: String

    @Option(help: "Largest |Δ| (relative to the recorded value when it exceeds 1) still called identical.")
    var tolerance: Double = 1e-4

    @Flag(help: "Stage the replicate without committing it.")
    var noCommit = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a finite number ≥ 0, got \(tolerance)") }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        defer { Output.reportDamaged(journal) }
        guard case let .experiment(original) = try journal.show(experiment) else {
            throw CommandFailure(message: "`\(experiment)` is not an experiment (xj reproduce takes an experiment id)", status: 1)
        }
        let interrupt = Interruption.install("interrupted: nothing was recorded")
        defer { interrupt.cancel() }
        let bar = json || original.command != nil ? nil : ProgressBar(total: 100)
        bar?.start(status: "training \(original.id.short) again")
        let reproduction = try Reproducer(journal: journal).reproduce(original, tolerance: tolerance, echoOutput: json ? nil : 2, echoErrors: json ? nil : 2) {
            bar?.update(Int($0 * 100), status: "")
        }
        bar?.finish()
        var commit: JournalRecord?
        if !noCommit {
            let path = JournalLayout.experimentPath(runKey: reproduction.reproduced.runKey.hex, experiment: reproduction.reproduced.id.hex)
            commit = try journal.commit(message: "reproduce \(original.id.short): \(reproduction.outcome.rawValue)", only: [path])
        }
        if json {
            var members = reproduction.json.objectValue ?? [:]
            if let commit { members["commit"] = .string(commit.commit.id.hex) }
            Output.json(.object(members))
        } else {
            print(reproduction, commit: commit, journal: journal)
        }
        if reproduction.outcome == .diverged { throw ExitCode(1) }
    }

    func print(_ reproduction: Reproduction, commit: JournalRecord?, journal: LabJournal) {
        let name = "reproduced \(reproduction.original.id.short) as \(reproduction.reproduced.id.short)"
        let compared = reproduction.differences.filter { $0.name != "weights" }.count
        let weights = reproduction.differences.contains { $0.name == "weights" } ? "weights and " : ""
        switch reproduction.outcome {
        case .bitIdentical:
            Output.line("\(name): bit-identical (\(weights)\(compared) metric\(compared == 1 ? "" : "s"))")
        case .withinTolerance:
            let largest = reproduction.differences.filter { $0.delta > 0 }.sorted { $0.delta > $1.delta }.prefix(3)
            Output.line("\(name): identical within tolerance \(Output.number(reproduction.tolerance)) (largest |Δ|: " +
                        largest.map { "\($0.name) \(String(format: "%.2g", $0.delta))" }.joined(separator: ", ") + ")")
        case .diverged:
            Output.line("\(name): diverged (\(reproduction.beyondTolerance.count) of \(reproduction.differences.count) beyond tolerance \(Output.number(reproduction.tolerance)))")
            var rows = [["", "recorded", "reproduced", "|Δ|"]]
            for difference in reproduction.beyondTolerance {
                rows.append([difference.name, difference.recorded.map(Output.number4) ?? "-", difference.reproduced.map(Output.number4) ?? "-",
                             difference.delta.isFinite ? String(format: "%.3g", difference.delta) : "missing"])
            }
            for line in Output.table(rows) { Output.line("  " + line) }
        }
        if let note = reproduction.trainerNote { Output.line("  trainer: \(note)") }
        if reproduction.outcome != .bitIdentical {
            if reproduction.environmentChanges.isEmpty {
                Output.line("  environment: the same as recorded, so the run depends on something xj does not record (the clock, the network, unseeded randomness, another thread count inside the program)")
            } else {
                Output.line("  environment differs: " + reproduction.environmentChanges.joined(separator: "; "))
            }
        }
        if let commit {
            Output.line("[\((try? journal.currentBranch()) ?? "?") \(commit.commit.id.short)] replicate \(reproduction.reproduced.id.short) committed")
        } else {
            Output.line("replicate \(reproduction.reproduced.id.short) staged")
        }
    }
}
