import ArgumentParser
import OpenBankingSandbox

/// `ob-sandbox tpp token`: a client_credentials token bound to the transport certificate.
struct TPPTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Get a certificate-bound access token (client_credentials) from <gateway>/token."
    )

    @OptionGroup var connection: TPPConnectionOptions

    @Option(name: .customLong("client-id"), help: "The client_id from `tpp register`.")
    var clientID: String

    @Option(name: .long, help: "The scope to ask for (e.g. accounts); omitted by default.")
    var scope: String?

    @Option(name: .customLong("auth-method"), help: "tls_client_auth (the certificate) or private_key_jwt (a signed assertion).")
    var authMethod: String = "tls_client_auth"

    @Option(name: .customLong("signing-key"), help: ArgumentHelp("For private_key_jwt (default <pki>/tpp-signing.key).", valueName: "file"))
    var signingKey: String?

    @Option(name: .long, help: "The kid of the assertion (default: the RFC 7638 thumbprint).")
    var kid: String?

    func run() async throws {
        guard self.authMethod == "tls_client_auth" || self.authMethod == "private_key_jwt" else {
            throw CommandFailure(description: "--auth-method must be tls_client_auth or private_key_jwt, not '\(self.authMethod)'.")
        }
        try await self.connection.perform { client in
            var assertion: String?
            if self.authMethod == "private_key_jwt" {
                let signer = try TPPCredentials.signer(
                    signingKey: self.signingKey ?? self.connection.pkiFile("tpp-signing.key"),
                    keyID: self.kid
                )
                assertion = try ClientAssertion.make(clientID: self.clientID, audience: client.tokenEndpoint, signer: signer)
            }
            return try await client.requestToken(clientID: self.clientID, scope: self.scope, clientAssertion: assertion)
        }
    }
}
