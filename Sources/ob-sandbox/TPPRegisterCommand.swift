import ArgumentParser
import OpenBankingSandbox

/// `ob-sandbox tpp register`: POST /register with a PS256 request JWT over MTLS.
struct TPPRegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register the TPP: POST a signed request JWT with the SSA to <gateway>/register.",
        discussion: """
            The request JWT carries every Open Banking claim: iss = the SSA's software_id, aud, iat, \
            exp (iat + 5 minutes), a fresh jti, redirect_uris, token_endpoint_auth_method, \
            tls_client_auth_subject_dn (the transport certificate's subject), grant_types, \
            response_types, scope, application_type, the signing algorithms and software_statement.
            """
    )

    @OptionGroup var connection: TPPConnectionOptions
    @OptionGroup var request: TPPRequestOptions

    func run() async throws {
        try await self.connection.perform { client in
            try await client.register(requestJWT: self.request.requestJWT(client: client, connection: self.connection))
        }
    }
}
