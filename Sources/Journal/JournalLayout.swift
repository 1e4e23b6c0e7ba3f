/// Where records live in a journal-state tree and which refs xj uses (FORMAT.md).
public enum JournalLayout {
    /// The folder `xj init` creates and discovery looks for.
    public static let directoryName = ".journal"
    /// The branch a new journal starts on.
    public static let defaultBranch = "main"
    /// Staged work, one stage per line of inquiry: `refs/xj/stages/<branch>` names a commit whose tree
    /// holds only the staged paths, so two terminals working on two lines never mix their work.
    public static let stagePrefix = "refs/xj/stages/"
    /// The single stage of journals written before stages were kept per line; read as the stage of
    /// the line HEAD names and moved to its per-line ref by the next write.
    public static let legacyStageReference = "refs/xj/stage"
    public static let branchPrefix = "refs/heads/"

    public static let datasets = "datasets"
    public static let params = "params"
    public static let experiments = "experiments"
    /// `tags/<experiment id>/<tag>` → an empty blob: one path per tag, so two people tagging the
    /// same experiment never conflict when their lines merge.
    public static let tags = "tags"
    /// `notes/<experiment id>` → the note's text.
    public static let notes = "notes"

    public static func datasetPath(_ name: String) -> String { datasets + "/" + name }
    public static func paramsPath(_ name: String) -> String { params + "/" + name }

    /// How many folder levels below each top-level folder a record sits
    /// (`datasets/<name>`: 1; `experiments/<2 hex>/<run key>/<id>`: 3).
    public static func recordDepth(of topLevel: String) -> Int {
        topLevel == experiments ? 3 : topLevel == tags ? 2 : 1
    }

    /// The full ref of a branch name.
    public static func branchReference(_ name: String) -> String { branchPrefix + name }

    /// The stage ref of a line of inquiry.
    public static func stageReference(_ branch: String) -> String { stagePrefix + branch }
}

extension JournalLayout {
    /// `experiments/<first 2 hex of run key>/<run key>/<experiment id>`.
    public static func experimentPath(runKey: String, experiment: String) -> String {
        experimentFolder(runKey: runKey) + "/" + experiment
    }

    /// The folder holding every experiment (replicate) of one run key.
    public static func experimentFolder(runKey: String) -> String {
        experiments + "/" + runKey.prefix(2) + "/" + runKey
    }
}

extension JournalLayout {
    /// On a remote: `refs/xj/sweeps/<sweep>/<task>`, the records one task of a cluster sweep pushed
    /// (a ref of its own, never contended; `xj gather` merges and deletes them).
    public static let sweepPrefix = "refs/xj/sweeps/"
    /// Locally: `refs/xj/remote-sweeps/<remote>/<sweep>/<task>`, the last fetched value of each task ref
    /// (covered by the run index like remote-tracking branches).
    public static let remoteSweepPrefix = "refs/xj/remote-sweeps/"

    public static func sweepTaskReference(sweep: String, task: Int) -> String { sweepPrefix + sweep + "/" + String(task) }
}

extension JournalLayout {
    public static let hypothesisFile = "hypothesis.md"
    public static let predictionsFile = "predictions.json"
    public static let verdictFile = "verdict.json"
    /// Hypotheses live on `hypothesis/<name>` branches.
    public static let hypothesisBranchPrefix = "hypothesis/"
}
