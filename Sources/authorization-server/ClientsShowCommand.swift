import ArgumentParser
import AuthorizationServer

/// `authorization-server clients show ID [--config FILE] [--json]`: everything stored about a
/// client, like PingFederate's client page.
struct ClientsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show all stored metadata of a client, including its software statement claims."
    )

    @Argument(help: "The client_id.")
    var id: String

    @OptionGroup var options: ClientsOptions

    @Flag(help: "Print a JSON object instead of text.")
    var json = false

    func run() async throws {
        let id = self.id
        let client = try await ClientStoreSession.run(configPath: self.options.config) { (store) throws(ClientStoreError) in
            try await store.client(id: id)
        }
        guard let client else {
            throw CommandFailure(description: "no client with client_id \"\(id)\".")
        }
        print(self.json ? try ClientRendering.detailJSON(client) : ClientRendering.detail(client))
    }
}
