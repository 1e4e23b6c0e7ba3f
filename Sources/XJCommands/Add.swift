import ArgumentParser
import Foundation
import Journal

/// `xj add FILE`: store a dataset or a parameter set and stage it.
struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a dataset (.csv, .npy) or a parameter set (.yaml, .json, key=value) and stage it.",
        discussion: """
        A dataset is stored byte for byte with a manifest (rows, columns, types, label classes, per-column statistics) computed in the same pass. A parameter set is stored as canonical JSON, so the same values always give the same object.

        Examples:
          xj add data/digits.csv --name digits --label target
          xj add features.npy --label col_64
          xj add wine.csv --label y --task regression   # quality scores 3–8 read as numbers, not classes
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

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
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
        if let manifest = added.manifest {
            let classes = manifest.task == .classification ? ", \(manifest.classes.count) classes" : ""
            Output.line("dataset \(added.name) \(added.id.short): \(manifest.rows) rows × \(manifest.columns.count) columns, label \(manifest.label) (\(manifest.task.rawValue)\(classes)) — \(verb)")
        } else if let parameters = added.parameters {
            Output.line("params \(added.name) \(added.id.short): \(parameters.values.count) parameter\(parameters.values.count == 1 ? "" : "s") — \(verb)")
        }
    }
}
