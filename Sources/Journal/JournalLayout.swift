/// Where records live in a journal-state tree and which refs xj uses (FORMAT.md).
public enum JournalLayout {
    /// The folder `xj init` creates and discovery looks for.
    public static let directoryName = ".journal"
    /// The branch a new journal starts on.
    public static let defaultBranch = "main"
    /// The staged work: a commit whose tree holds only the staged paths.
    public static let stageReference = "refs/xj/stage"
    public static let branchPrefix = "refs/heads/"

    public static let datasets = "datasets"
    public static let params = "params"
    public static let experiments = "experiments"

    public static func datasetPath(_ name: String) -> String { datasets + "/" + name }
    public static func paramsPath(_ name: String) -> String { params + "/" + name }

    /// How many folder levels below each top-level folder a record sits
    /// (`datasets/<name>`: 1; `experiments/<2 hex>/<run key>/<id>`: 3).
    public static func recordDepth(of topLevel: String) -> Int {
        topLevel == experiments ? 3 : 1
    }

    /// The full ref of a branch name.
    public static func branchReference(_ name: String) -> String { branchPrefix + name }
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
    public static let hypothesisFile = "hypothesis.md"
    public static let predictionsFile = "predictions.json"
    public static let verdictFile = "verdict.json"
    /// Hypotheses live on `hypothesis/<name>` branches.
    public static let hypothesisBranchPrefix = "hypothesis/"
}
