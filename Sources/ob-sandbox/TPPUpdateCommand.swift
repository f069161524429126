import ArgumentParser
import OpenBankingSandbox

/// `ob-sandbox tpp update`: PUT /register/{client_id} with a new request JWT.
struct TPPUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Update a registration: PUT a new signed request JWT to <gateway>/register/CLIENT_ID."
    )

    @OptionGroup var connection: TPPConnectionOptions
    @OptionGroup var request: TPPRequestOptions

    @Argument(help: "The client_id.")
    var clientID: String

    @Option(name: .long, help: "An access token of this client (tpp token) or its registration_access_token.")
    var token: String

    func run() async throws {
        try await self.connection.perform { client in
            try await client.updateRegistration(
                clientID: self.clientID,
                accessToken: self.token,
                requestJWT: self.request.requestJWT(client: client, connection: self.connection)
            )
        }
    }
}
