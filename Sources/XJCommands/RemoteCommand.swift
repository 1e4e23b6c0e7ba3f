import ArgumentParser
import Journal

/// `xj remote`: list, add or remove the journals this one exchanges with.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "List, add or remove remotes (other copies of the journal: a path, file://, git://, ssh:// or https://).",
        subcommands: [List.self, AddRemote.self, RemoveRemote.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List remotes.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let remotes = try global.openJournal().repository.remotes()
            if json {
                Output.json(.array(remotes.map { ["name": .string($0.name), "url": .string($0.url)] }))
            } else {
                for line in Output.table(remotes.map { [$0.name, $0.url] }, indent: "") { Output.line(line) }
            }
        }
    }

    struct AddRemote: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a remote.",
            discussion: """
            Examples:
              xj remote add origin /srv/journals/digits.git
              xj remote add lab git://lab-server/digits.git
              xj remote add github git@github.com:me/digits-journal.git
            """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The remote's name.") var name: String
        @Argument(help: "Its URL or path.") var url: String

        func run() throws {
            try global.openJournal().addRemote(name, url: url)
            Output.line("Added remote \(name)")
        }
    }

    struct RemoveRemote: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a remote and its remote-tracking branches.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            try global.openJournal().repository.removeRemote(name)
            Output.line("Removed remote \(name)")
        }
    }
}
