import ArgumentParser
import AuthorizationServer

/// `authorization-server clients list [--config FILE] [--json]`.
struct ClientsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List registered clients, oldest first."
    )

    @OptionGroup var options: ClientsOptions

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    func run() async throws {
        let clients = try await ClientStoreSession.run(configPath: self.options.config) { (store) throws(ClientStoreError) in
            try await store.list()
        }
        print(self.json ? try ClientRendering.listJSON(clients) : ClientRendering.table(clients))
    }
}
