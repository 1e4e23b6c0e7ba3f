import ArgumentParser
import Foundation
import Journal

/// `xj add FILE`: store a dataset or a parameter set and stage it.
struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Store a dataset (.csv, .npy, or a text corpus with --text) or a parameter set (.yaml, .json, key=value) and stage it.",
        discussion: """
        A dataset is stored byte for byte with a manifest (rows, columns, types, label classes, per-column statistics) computed in the same pass. A parameter set is stored as canonical JSON, so the same values always give the same object.

        Examples:
          xj add data/digits.csv --name digits --label target
          xj add features.npy --label col_64
          xj add wine.csv --label y --task regression   # quality scores 3–8 read as numbers, not classes
          xj add tinyshakespeare.txt --text --split 0.9   # a UTF-8 corpus for --model lstm: the first 90% trains
          xj add params.yaml                       # parameter set "params"
          xj add --name baseline lr=0.01 hidden=128,64 optimizer=adam
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var lineOfInquiry: LineOfInquiryOption

    @Argument(help: ArgumentHelp("A .csv/.npy dataset, a .yaml/.json parameter file, or key=value parameters.", valueName: "file | key=value"))
    var inputs: [String]

    @Option(help: "The name in the journal (default: the file name without its extension).")
    var name: String?

    @Option(help: "The label column of a dataset (default: the last column).")
    var label: String?

    @Option(help: ArgumentHelp("Read a numeric label as regression even when its values look like classes (few whole numbers, e.g. quality scores 3–8).", valueName: "regression"))
    var task: String?

    @Flag(help: "Store the file as a UTF-8 text corpus (characters, vocabulary, lines) for a character-level language model (--model lstm).")
    var text = false

    @Option(help: ArgumentHelp("With --text: the share of the characters, from the start, used for training; the rest is validation text.", valueName: "fraction"))
    var split: Double?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if let split {
            guard text else { throw ValidationError("--split applies to a text corpus (--text)") }
            guard split > 0 && split < 1 else { throw ValidationError("--split must be between 0 and 1 (exclusive), got \(split)") }
        }
        if text && (label != nil || task != nil) { throw ValidationError("--label and --task are for tables; a text corpus predicts its next character") }
        if let task, task != "regression" {
            throw ValidationError("--task takes `regression` (classification is decided from the label), got \(task.debugDescription)")
        }
        guard !inputs.isEmpty else { throw ValidationError("name a file to add, or give key=value parameters") }
        let assignments = inputs.filter { $0.contains("=") && !FileManager.default.fileExists(atPath: $0) }
        if !assignments.isEmpty {
            guard assignments.count == inputs.count else { throw ValidationError("give either one file or key=value parameters, not both") }
            guard name != nil else { throw ValidationError("key=value parameters need --name NAME") }
            guard label == nil else { throw ValidationError("--label is for datasets") }
            guard task == nil else { throw ValidationError("--task is for datasets") }
        } else if inputs.count > 1 {
            throw ValidationError("add one file at a time")
        }
    }

    func run() throws {
        let journal = try global.openJournal(on: lineOfInquiry.line)
        let added: AddedRecord
        if inputs.allSatisfy({ $0.contains("=") && !FileManager.default.fileExists(atPath: $0) }) {
            added = try journal.addParameterSet(try ParameterSet.parse(assignments: inputs), name: name!)
        } else {
            let file = inputs[0]
            switch (file as NSString).pathExtension.lowercased() {
            case _ where text:
                added = try journal.addDataset(file: file, name: name, label: nil, textSplit: split ?? 0.9)
            case "txt":
                throw CommandFailure(status: 64, message: "\(file) is text: add it with --text to train a character-level language model on it")
            case "yaml", "yml", "json":
                guard label == nil, task == nil else { throw ValidationError("--label and --task are for datasets, \(file) is a parameter file") }
                let setName = name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                added = try journal.addParameterSet(try ParameterSet.read(file: file), name: setName)
            default:
                added = try journal.addDataset(file: file, name: name, label: label, regression: task == "regression")
            }
        }
        if json {
            Output.json(added.json)
            return
        }
        let verb = added.outcome == .staged ? "staged" : "unchanged (already recorded)"
        if let manifest = added.manifest, manifest.format == .text {
            Output.line("dataset \(added.name) \(added.id.short): text, \(manifest.characters ?? 0) characters, \(manifest.classes.count) distinct, \(manifest.rows) lines, " +
                        "first \(Output.number((manifest.trainFraction ?? 0.9) * 100))% for training — \(verb)")
        } else if let manifest = added.manifest {
            let classes = manifest.task == .classification ? ", \(manifest.classes.count) classes" : ""
            Output.line("dataset \(added.name) \(added.id.short): \(manifest.rows) rows × \(manifest.columns.count) columns, label \(manifest.label) (\(manifest.task.rawValue)\(classes)) — \(verb)")
        } else if let parameters = added.parameters {
            Output.line("params \(added.name) \(added.id.short): \(parameters.values.count) parameter\(parameters.values.count == 1 ? "" : "s") — \(verb)")
        }
    }
}
