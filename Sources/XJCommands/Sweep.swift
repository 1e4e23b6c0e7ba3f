import ArgumentParser

/// `xj sweep`: grids that run on a Slurm cluster through one shared git remote.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid on a Slurm cluster through a shared git remote: submit, watch, and (with xj gather) bring the results in.",
        discussion: """
        Each array task clones the remote into node-local scratch, trains its shard of the grid and pushes its records to a ref of its own (refs/xj/sweeps/<sweep>/<task>), so tasks never contend; xj gather merges them into the line in one commit. Submitting the same sweep again skips every point already recorded on the remote.

        Examples:
          xj push origin
          xj sweep submit --slurm --tasks 16 --remote origin --time 01:00:00 -- grid --data digits --model mlp lr=0.1,0.01 seed=1..8
          xj sweep status
          xj gather
        """,
        subcommands: [SweepSubmit.self, SweepStatus.self, SweepTask.self]
    )
}
