import ArgumentParser

/// `authorization-server clients …`: inspect and remove registered clients, straight from the
/// configured database (the server may be running).
struct ClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "List, show and delete registered clients.",
        subcommands: [ClientsListCommand.self, ClientsShowCommand.self, ClientsDeleteCommand.self]
    )
}

/// Options every `clients` subcommand takes.
struct ClientsOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path to authorization-server.conf (TOML); its [database] is used.")
    var config = "authorization-server.conf"
}
