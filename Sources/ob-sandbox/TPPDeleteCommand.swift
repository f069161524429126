import ArgumentParser
import OpenBankingSandbox

/// `ob-sandbox tpp delete`: DELETE /register/{client_id}.
struct TPPDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a registration: DELETE <gateway>/register/CLIENT_ID with a bearer token."
    )

    @OptionGroup var connection: TPPConnectionOptions

    @Argument(help: "The client_id.")
    var clientID: String

    @Option(name: .long, help: "An access token of this client (tpp token) or its registration_access_token.")
    var token: String

    func run() async throws {
        try await self.connection.perform { client in
            try await client.deleteRegistration(clientID: self.clientID, accessToken: self.token)
        }
    }
}
