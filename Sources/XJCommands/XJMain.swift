import ArgumentParser
import Foundation
import Journal
import JournalStore
import Lab
import Report

/// Runs xj with command-line arguments and turns every error into one `xj: error: …` line.
public enum XJMain {
    /// - Returns: the process exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        let unknown = unknownSubcommand(arguments)
        // Help, the version and a mistyped command never open a journal: they do not pay for libgit2's
        // start-up (parsing the CA bundle), nor wait for it on their way out.
        if unknown == nil && !answersWithoutJournal(arguments) { GitLibrary.initializeInBackground() }
        defer { GitLibrary.waitUntilInitialized() }
        do {
            if let unknown { throw CommandFailure(message: unknown, status: 64) }
            var command = try parse(movingGlobalOptions(arguments))
            try command.run()
            return 0
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { Output.error("xj: error: " + failure.message) }
            return failure.status
        } catch let error as JournalError {
            Output.error("xj: error: \(error)")
            return 1
        } catch let error as LabError {
            Output.error("xj: error: \(error)")
            return 1
        } catch let error as StoreError {
            Output.error("xj: error: \(error)")
            return 1
        } catch let error as PlotError {
            Output.error("xj: error: \(error)")
            return 1
        } catch {
            let status = XJ.exitCode(for: error)
            let message = XJ.fullMessage(for: error)
            if status == .success {
                Output.line(HelpText.unwrappingExamples(message))
            } else {
                Output.error(message.hasPrefix("Error: ") ? "xj: error: " + message.dropFirst(7) : message)
            }
            return status.rawValue
        }
    }

    /// The command the arguments name. The subcommand alone parses them first: parsing from the root
    /// reflects over every subcommand's options (a sixth of `xj train` answering "already run"). Help,
    /// the version and every parse error go through the root, so messages and usage are the root's;
    /// parsing has no side effects, so parsing twice changes nothing. A plain `train` is read without
    /// the parser first (`PlainTrainArguments`).
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        if let first = arguments.first, !answersWithoutJournal(arguments) {
            let rest = Array(arguments.dropFirst())
            if first == "train", let train = PlainTrainArguments.command(rest) { return train }
            if let subcommand = XJ.configuration.subcommands.first(where: { commandName($0) == first }),
               let command = try? subcommand.parseAsRoot(rest) {
                return command
            }
        }
        return try XJ.parseAsRoot(arguments)
    }

    /// The word that names a subcommand on the command line.
    static func commandName(_ command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }

    /// Whether the arguments ask only for help, the version or a completion script.
    static func answersWithoutJournal(_ arguments: [String]) -> Bool {
        arguments.first == "help" || arguments.contains { ["--help", "-h", "--version", "--generate-completion-script"].contains($0) }
    }

    /// "unknown command `trian` (did you mean `train`?)" when the first word names no subcommand.
    static func unknownSubcommand(_ arguments: [String]) -> String? {
        let moved = movingGlobalOptions(arguments)
        guard let first = moved.first, !first.hasPrefix("-"), first != "help" else { return nil }
        let names = XJ.configuration.subcommands.map(commandName)
        guard !names.contains(first) else { return nil }
        return "unknown command `\(first.prefix(60))`" + (RecordNames.nearest(to: first, among: names).map { " (did you mean `\($0)`?)" } ?? "") +
            "; xj --help lists the commands"
    }

    /// Lets `--journal PATH` stand before the subcommand too (`xj --journal j log`), as git's `--git-dir` does.
    static func movingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if first == "--journal", rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--journal=") {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty, !rest.isEmpty else { return arguments }
        // After the subcommand path and its arguments (the leaf command owns the option), before any `--`.
        var moved = Array(rest)
        let end = moved.firstIndex(of: "--") ?? moved.count
        moved.insert(contentsOf: leading, at: end)
        return moved
    }
}
