import ArgumentParser
import Foundation
import Journal
import Lab

/// `xj gather`: bring a cluster sweep's task refs into the line of inquiry in one commit.
struct Gather: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gather",
        abstract: "Bring every task's records of cluster sweeps into the current line of inquiry in one commit, push it, and delete the task refs.",
        discussion: """
        Pulls the line from the remote, fetches refs/xj/sweeps/* (one sweep with --sweep), merges every task's commits into the line in one commit (a union: experiments live at paths made of their own ids, so tasks cannot conflict), pushes the line, and only then deletes each task ref on the remote, by compare-and-swap: a task that pushed again meanwhile keeps its ref for the next gather. Nothing is deleted before the records are on the remote's line.

        Examples:
          xj gather
          xj gather --sweep s1a2b3c4d5e6 --remote lab
          xj gather --no-push          # merge here only; the task refs stay on the remote
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Option(help: "The remote the sweep's tasks pushed to.")
    var remote = "origin"

    @Option(help: "Gather only this sweep (default: every sweep on the remote).")
    var sweep: String?

    @Flag(help: "Merge into the line here, but do not push it; the task refs stay on the remote.")
    var noPush = false

    @Flag(help: "Push, but keep the task refs on the remote.")
    var keep = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if let sweep { try LabJournal.validateSweepName(sweep) }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let line = try journal.currentBranch()
        _ = try journal.remoteURL(remote)
        try journal.fetch(remote: remote)
        if try journal.repository.referenceTarget("refs/remotes/\(remote)/\(line)") != nil {
            try journal.pullBranch(line, remote: remote, fetching: false)
        }
        let tasks = try journal.downloadSweeps(remote: remote, sweep: sweep)
        guard !tasks.isEmpty else {
            if json { Output.json(.object(["gathered": .number(0), "tasks": .number(0)])); return }
            Output.line("nothing to gather: \(remote) has no task refs" + (sweep.map { " of sweep \($0)" } ?? ""))
            return
        }
        let sweeps = Array(Set(tasks.map(\.sweep))).sorted()
        let message = "gather sweep\(sweeps.count == 1 ? "" : "s") \(sweeps.joined(separator: ", ")): \(tasks.count) task ref\(tasks.count == 1 ? "" : "s") from \(remote)"
        let merged = try journal.mergeIntoLine(tasks.map(\.tip), message: message, fastForward: false)
        let tip = merged?.tip
        let added = (merged?.added ?? []).filter { $0.kind == .added && $0.record.category == JournalLayout.experiments }.count
        var pushed = false
        var kept: [SweepTaskReference] = tasks
        if !noPush {
            // Records reach the remote's line before any task ref that holds them is deleted.
            _ = try journal.push(remote: remote, all: false, attempts: 10) { attempt in
                Output.note("\(remote) is ahead; pulling and pushing again (attempt \(attempt + 1) of 10)")
            }
            pushed = true
            kept = keep ? tasks : try journal.deleteSweepTasks(tasks)
        }
        if json {
            var members: [String: JSONValue] = ["gathered": .number(Double(added)), "tasks": .number(Double(tasks.count)), "pushed": .bool(pushed),
                                                "sweeps": .array(sweeps.map(JSONValue.string)), "kept": .array(kept.map { .string($0.remoteName) })]
            if let tip { members["commit"] = .string(tip.object.hex) }
            Output.json(.object(members))
            return
        }
        let where_ = tip.map { "[\(line) \($0.short)]" } ?? "\(line) (already had them)"
        Output.line("\(where_) \(added) experiment\(added == 1 ? "" : "s") from \(tasks.count) task\(tasks.count == 1 ? "" : "s") of sweep\(sweeps.count == 1 ? "" : "s") \(sweeps.joined(separator: ", "))")
        if pushed { Output.line("pushed \(line) to \(remote)") }
        if noPush {
            Output.line("not pushed (--no-push): the task refs stay on \(remote) until a gather pushes")
        } else if keep {
            Output.line("kept the \(tasks.count) task refs on \(remote) (--keep)")
        } else {
            Output.line("deleted \(tasks.count - kept.count) task ref\(tasks.count - kept.count == 1 ? "" : "s") on \(remote)" +
                        (kept.isEmpty ? "" : "; \(kept.count) moved meanwhile and stay for the next gather"))
        }
    }
}
