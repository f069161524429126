import ArgumentParser
import Foundation
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
            response_types, scope, application_type, the signing algorithms and software_statement. \
            To test refusals: --subject-dn sends another tls_client_auth_subject_dn (invalid_client_metadata), \
            --save-request FILE keeps the JWT sent and --request-file FILE sends it again (a replayed jti).
            """
    )

    @OptionGroup var connection: TPPConnectionOptions
    @OptionGroup var request: TPPRequestOptions

    @Option(
        name: .customLong("save-request"),
        help: ArgumentHelp("Also write the request JWT that is sent to this file.", valueName: "file")
    )
    var saveRequest: String?

    @Option(
        name: .customLong("request-file"),
        help: ArgumentHelp("Send the request JWT in this file as it is (e.g. one saved with --save-request: a replay).", valueName: "file")
    )
    var requestFile: String?

    func run() async throws {
        try await self.connection.perform { client in
            let jwt: String
            if let requestFile = self.requestFile {
                guard let data = FileManager.default.contents(atPath: requestFile) else {
                    throw CommandFailure(description: "The request file \(requestFile) does not exist or cannot be read.")
                }
                jwt = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                jwt = try self.request.requestJWT(client: client, connection: self.connection)
            }
            if let saveRequest = self.saveRequest {
                do {
                    try (jwt + "\n").write(toFile: saveRequest, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure(description: "Could not write \(saveRequest): \(error.localizedDescription).")
                }
            }
            return try await client.register(requestJWT: jwt)
        }
    }
}
