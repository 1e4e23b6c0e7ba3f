import ArgumentParser
import Journal

/// The root command: `xj <subcommand>`.
public struct XJ: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "xj",
        abstract: "A lab journal for machine-learning experiments that works like git.",
        discussion: """
        The journal is a git repository in .journal/ (found like git finds .git; override with --journal PATH or XJ_DIR). Datasets, parameter sets and results are content-addressed objects; lines of inquiry are branches.

        Start with:
          xj init
          xj add data/digits.csv --name digits --label target
          xj commit -m "add the digits data"
          xj train --data digits --model mlp hidden=128 epochs=30 seed=1
          xj hypothesis new wider-helps "A wider layer fits better" --predict "mean(val_accuracy | hidden=256) > mean(val_accuracy | hidden=32)"
          xj grid --data digits --model mlp hidden=32,256 seed=1..5 epochs=20
          xj verdict
          xj report -o report.html

        Also: xj check (sanity checks without training), xj run -- CMD (record any program), xj plot (SVG curves and sweeps).
        """,
        version: XJVersion.current,
        subcommands: [Init.self, Add.self, Status.self, Train.self, Grid.self, Runs.self, Reindex.self, CommitCommand.self, Log.self, Show.self, Branch.self, Switch.self, Restore.self, Diff.self, Check.self, RunCommand.self, Plot.self, ReportCommand.self, HypothesisCommand.self, VerdictCommand.self,
                      RemoteCommand.self, Push.self, Fetch.self, Pull.self, Clone.self, Fsck.self, Reproduce.self, Suggest.self, Sweep.self, Gather.self, Tag.self, Note.self, Export.self, Cat.self]
    )

    public init() {}
}
