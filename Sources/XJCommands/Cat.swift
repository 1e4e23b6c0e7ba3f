import Foundation
import ArgumentParser
import Journal

/// `xj cat EXP PATH`: one file of an experiment, byte for byte, on standard output.
struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Write one file of an experiment to standard output, byte for byte.",
        discussion: """
        Paths are inside the experiment: run.json, inputs/params.json, results/metrics.json, \
        results/curves.json, results/weights.npy, and the files an xj run program wrote under results/.

        Examples:
          xj cat 3f2a91c results/weights.npy > weights.npy
          xj cat 3f2a91c results/metrics.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The experiment's id or a prefix of it (at least 4 hex digits).")
    var experiment: String

    @Argument(help: "The file's path inside the experiment, e.g. results/weights.npy.")
    var path: String

    func run() throws {
        let journal = try global.openJournal()
        let id = try journal.recordedExperiment(matching: experiment)
        let files = try journal.experimentFiles(TreeID(id), under: path)
        guard files.count == 1, files[0].path == path.split(separator: "/").joined(separator: "/") else {
            throw CommandFailure(message: "\(path.debugDescription) is a folder of experiment \(id.short); its files: "
                                 + files.prefix(8).map(\.path).joined(separator: ", ") + (files.count > 8 ? ", …" : "") + " (xj export copies a folder)")
        }
        try journal.repository.streamBlob(files[0].blob) { chunk in
            guard DescriptorWriting.writeAll(STDOUT_FILENO, chunk) else {
                throw CommandFailure(message: "cannot write to standard output (\(String(cString: strerror(errno))))")
            }
        }
    }
}
