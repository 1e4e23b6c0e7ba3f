/// `xj train` built from a plain argument list without swift-argument-parser.
///
/// The parser reflects over the command's options at run time (Mirror, protocol conformance lookups
/// in a binary holding all of Foundation): 3–4 ms of a `train` that ends in "already run" (32.0 →
/// 28.4 ms, medians of 60 runs), the answer issue 14 wants in 30 ms. Only the spellings the parser reads one way are
/// taken here: each known option once, as `--name value` or `--name=value` with a value that does not
/// begin with `-`, the three flags, and `key=value` words. Anything else (help, `--`, a repeated or
/// unknown option, a missing `--data`) returns nil and goes through the parser, which also words the
/// errors. `ParsingTests` checks that both ways give the same command on generated argument lists.
enum PlainTrainArguments {
    private static let valued: Set<String> = ["--data", "--val", "--model", "--params", "--on", "--journal"]
    private static let flags: Set<String> = ["--force", "--strict", "--json"]

    /// The command `arguments` (after `train`) name, or nil if the parser must read them.
    static func command(_ arguments: [String]) -> Train? {
        var values: [String: String] = [:]
        var seenFlags: Set<String> = []
        var parameters: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            if word.hasPrefix("-") {
                if flags.contains(word) {
                    guard seenFlags.insert(word).inserted else { return nil }
                    continue
                }
                let name: String, value: String
                if let equals = word.firstIndex(of: "=") {
                    name = String(word[..<equals])
                    value = String(word[word.index(after: equals)...])
                } else {
                    guard index < arguments.endIndex else { return nil }
                    name = word
                    value = arguments[index]
                    index += 1
                }
                guard valued.contains(name), !value.isEmpty, !value.hasPrefix("-"), values[name] == nil else { return nil }
                values[name] = value
            } else {
                guard word.contains("=") else { return nil }
                parameters.append(word)
            }
        }
        guard let data = values["--data"] else { return nil }
        var global = GlobalOptions()
        global.journal = values["--journal"]
        var line = LineOfInquiryOption()
        line.line = values["--on"]
        var target = TrainingTargetOptions()
        target.data = data
        target.val = values["--val"]
        target.model = values["--model"] ?? "mlp"
        var stored = StoredParametersOption()
        stored.name = values["--params"]
        var train = Train()
        train.global = global
        train.lineOfInquiry = line
        train.target = target
        train.stored = stored
        train.force = seenFlags.contains("--force")
        train.strict = seenFlags.contains("--strict")
        train.json = seenFlags.contains("--json")
        train.parameters = parameters
        return train
    }
}
