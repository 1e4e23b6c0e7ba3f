import ArgumentParser
import Foundation
import Journal

/// `xj clone URL [DIR]`: a working folder with its own copy of a journal.
struct Clone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Clone a journal into DIR/.journal, with a local line of inquiry for each of the remote's.",
        discussion: """
        Examples:
          xj clone /srv/journals/digits.git study
          xj clone git://lab-server/digits.git
        """
    )

    @Argument(help: "The journal to clone (a path, file://, git://, ssh:// or https://).") var url: String
    @Argument(help: "The folder to create (default: the URL's last component without .git).") var directory: String?

    func run() throws {
        let name = directory ?? {
            let last = (url as NSString).lastPathComponent
            return last.hasSuffix(".git") ? String(last.dropLast(4)) : last
        }()
        try FileManager.default.createDirectory(atPath: name, withIntermediateDirectories: true)
        let bar = TransferDisplay.bar()
        let journal = try LabJournal.clone(url, into: name, progress: TransferDisplay.callback(bar))
        bar.finish()
        let lines = try journal.linesOfInquiry()
        Output.line("cloned into \(journal.path): " + lines.map(\.name).joined(separator: ", "))
    }
}
