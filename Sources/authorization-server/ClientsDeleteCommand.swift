import ArgumentParser
import AuthorizationServer

/// `authorization-server clients delete ID [--config FILE]`: removes the client and revokes its
/// tokens in one transaction (as `DELETE /register/{id}` does).
struct ClientsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a client and revoke its access tokens."
    )

    @Argument(help: "The client_id.")
    var id: String

    @OptionGroup var options: ClientsOptions

    func run() async throws {
        let id = self.id
        let deleted = try await ClientStoreSession.run(configPath: self.options.config) { (store) throws(ClientStoreError) in
            try await store.delete(id: id)
        }
        guard deleted else {
            throw CommandFailure(description: "no client with client_id \"\(id)\".")
        }
        print("deleted client \(id); its access tokens are revoked")
    }
}
