import Journal

/// The job-array script `xj sweep submit` hands to `sbatch`: array task K of N clones the remote into
/// node-local scratch, trains shard K/N of the grid and pushes its records to its own task ref.
public struct SlurmScript: Sendable {
    public var sweep: SweepDefinition
    /// The xj the nodes run (an absolute path, or a name on their PATH).
    public var executable: String
    /// Where Slurm writes each task's output (`xj-sweep-<name>-<job>_<task>.out`).
    public var logDirectory: String
    public var partition: String?
    public var time: String?
    public var cpusPerTask: Int?
    public var memory: String?
    /// Node-local scratch root for the tasks' clones (default on the node: $TMPDIR, else /tmp).
    public var scratch: String?
    /// More `#SBATCH` options, as given (`--account=lab`).
    public var extraOptions: [String]

    public init(sweep: SweepDefinition, executable: String, logDirectory: String, partition: String? = nil, time: String? = nil,
                cpusPerTask: Int? = nil, memory: String? = nil, scratch: String? = nil, extraOptions: [String] = []) throws {
        self.sweep = sweep
        self.executable = executable
        self.logDirectory = logDirectory
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.memory = memory
        self.scratch = scratch
        self.extraOptions = extraOptions
        // A value with a line break would add lines of its own to the script.
        let values: [(String, String?)] = [("--partition", partition), ("--time", time), ("--mem", memory), ("--scratch", scratch),
                                           ("--xj", executable), ("--log-dir", logDirectory), ("remote URL", sweep.url), ("--on", sweep.line)]
            + extraOptions.map { ("--sbatch", $0) } + sweep.gridArguments.map { ("grid argument", $0) }
        for (name, value) in values {
            if let value, value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw LabError.invalidParameter(key: name, message: "\(value.debugDescription) contains a control character")
            }
        }
        for option in extraOptions where !option.hasPrefix("--") || option.contains(" ") {
            throw LabError.invalidParameter(key: "--sbatch", message: "\(option.debugDescription) is not one sbatch option written --name=value")
        }
    }

    /// `'…'` for the shell, with `'` written `'\''`.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public var text: String {
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=xj-\(sweep.name)",
                     "#SBATCH --array=1-\(sweep.tasks)",
                     "#SBATCH --output=\(logDirectory)/xj-sweep-\(sweep.name)-%A_%a.out"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        lines += extraOptions.map { "#SBATCH \($0)" }
        lines += [
            "# Written by xj sweep submit. Array task K clones the remote into node-local scratch, trains",
            "# shard K/\(sweep.tasks) of the grid (\(sweep.points) points in all) and pushes its records to",
            "# refs/xj/sweeps/\(sweep.name)/K there; xj gather brings them into \(sweep.line). A task submitted",
            "# again skips every point already recorded on the remote.",
            "set -euo pipefail",
        ]
        var command = [Self.quoted(executable), "sweep", "task", "--remote", Self.quoted(sweep.url), "--sweep", Self.quoted(sweep.name),
                       "--on", Self.quoted(sweep.line), "--shard", "\"${SLURM_ARRAY_TASK_ID}/\(sweep.tasks)\""]
        if let scratch { command += ["--scratch", Self.quoted(scratch)] }
        command += ["--", "grid"] + sweep.gridArguments.map(Self.quoted)
        lines.append("exec " + command.joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }
}
