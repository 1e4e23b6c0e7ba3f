/// The result of `xj fsck`: how much was read and what is wrong.
public struct FsckReport: Sendable {
    public var references = 0
    public var commits = 0
    public var objects = 0
    public var datasets = 0
    public var parameterSets = 0
    public var experiments = 0
    /// One line per problem, naming the object or record.
    public var problems: [String] = []

    public var isClean: Bool { problems.isEmpty }

    public var json: JSONValue {
        .object([
            "ok": .bool(isClean), "references": .number(Double(references)), "commits": .number(Double(commits)),
            "objects": .number(Double(objects)), "datasets": .number(Double(datasets)), "params": .number(Double(parameterSets)), "experiments": .number(Double(experiments)),
            "problems": .array(problems.map(JSONValue.string)),
        ])
    }
}
