import Foundation
import ArgumentParser
import Journal

/// `xj export EXP [PATH…] -o DIR`: an experiment's files written into a folder.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an experiment's files (results, run.json, its inputs' parameters) into a folder.",
        discussion: """
        Without paths, every file of the experiment except the dataset's data (its manifest is \
        included); with paths, those files or folders. Files keep their paths inside the experiment \
        (DIR/results/weights.npy). An existing file is never overwritten unless --force is given, and \
        no file is written through a symbolic link.

        Examples:
          xj export 3f2a91c -o best-model
          xj export 3f2a91c results/weights.npy results/metrics.json -o out --force
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The experiment's id or a prefix of it (at least 4 hex digits).")
    var experiment: String

    @Argument(help: "Files or folders inside the experiment (default: all but the dataset's data).")
    var paths: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The folder to write into (created when missing).", valueName: "dir"))
    var output: String

    @Flag(help: "Overwrite files that exist already.")
    var force = false

    @Flag(help: "Print the written files as JSON.")
    var json = false

    func run() throws {
        let journal = try global.openJournal()
        let id = try journal.recordedExperiment(matching: experiment)
        var files: [(path: String, blob: BlobID)] = []
        if paths.isEmpty {
            files = try journal.experimentFiles(TreeID(id), under: nil)
        } else {
            for path in paths { files += try journal.experimentFiles(TreeID(id), under: path) }
        }
        // Every target is checked before the first byte is written, so a refusal writes nothing.
        for file in files {
            let target = output + "/" + file.path
            var status = stat()
            if lstat(target, &status) == 0 {
                if (status.st_mode & S_IFMT) == S_IFLNK { throw CommandFailure(message: "\(target): is a symbolic link; xj export never writes through one") }
                if !force { throw CommandFailure(message: "\(target): exists already; --force overwrites it") }
                if (status.st_mode & S_IFMT) == S_IFDIR { throw CommandFailure(message: "\(target): is a folder") }
            }
        }
        var written: [JSONValue] = []
        for file in files {
            let components = file.path.split(separator: "/").map(String.init)
            var folder = output
            for component in [""] + components.dropLast() {
                if !component.isEmpty { folder += "/" + component }
                try Self.makeFolder(folder)
            }
            let target = output + "/" + file.path
            let bytes = try journal.repository.blob(file.blob)
            if force { unlink(target) }
            let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw CommandFailure(message: "\(target): cannot create (\(String(cString: strerror(errno))))") }
            defer { close(descriptor) }
            guard bytes.withUnsafeBytes({ DescriptorWriting.writeAll(descriptor, $0) }) else {
                throw CommandFailure(message: "\(target): cannot write (\(String(cString: strerror(errno))))")
            }
            written.append(.object(["path": .string(target), "bytes": .number(Double(bytes.count))]))
            if !json { Output.line("\(target)  \(bytes.count) bytes") }
        }
        if json { Output.json(.object(["experiment": .string(id.hex), "files": .array(written)])) }
    }

    /// Creates a folder (or accepts one that exists), refusing a symbolic link in its place.
    static func makeFolder(_ path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFDIR { return }
            throw CommandFailure(message: "\(path): " + ((status.st_mode & S_IFMT) == S_IFLNK ? "is a symbolic link; xj export never writes through one" : "exists and is not a folder"))
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw CommandFailure(message: "\(path): cannot create the folder (\(String(cString: strerror(errno))))") }
    }
}
