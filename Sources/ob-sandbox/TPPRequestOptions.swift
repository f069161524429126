import ArgumentParser
import Foundation
import OpenBankingSandbox
import MTLSIdentity
import RegistrationCore

/// What goes into a registration request JWT: shared by `tpp register` and `tpp update`.
struct TPPRequestOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SSA (from `ob-sandbox ssa create`); required unless --request-file.", valueName: "file"))
    var ssa: String?

    @Option(name: .customLong("signing-key"), help: ArgumentHelp("The TPP signing key (default <pki>/tpp-signing.key).", valueName: "file"))
    var signingKey: String?

    @Option(name: .long, help: "The kid to announce (default: the RFC 7638 thumbprint the sandbox directory publishes).")
    var kid: String?

    @Option(name: .customLong("auth-method"), help: "token_endpoint_auth_method: tls_client_auth or private_key_jwt.")
    var authMethod: String = "tls_client_auth"

    @Option(name: .customLong("redirect-uri"), help: "A redirect URI (repeatable; default: all of the SSA's).")
    var redirectURIs: [String] = []

    @Option(name: .long, help: "The scope (default: openid plus what the SSA's roles allow).")
    var scope: String?

    @Option(name: .long, help: "aud: the bank's org id or issuer URL.")
    var audience: String = RegistrationRequestBuilder.sandboxAudience

    @Option(name: .customLong("dn-format"), help: "How tls_client_auth_subject_dn is written: openssl or rfc4514.")
    var dnFormat: String = "openssl"

    @Option(
        name: .customLong("subject-dn"),
        help: "tls_client_auth_subject_dn as given instead of the transport certificate's subject (to test refusals)."
    )
    var subjectDN: String?

    /// The signed request JWT, built against the transport certificate `client` presents.
    func requestJWT(client: TPPClient, connection: TPPConnectionOptions) throws -> String {
        guard let method = TokenEndpointAuthMethod(rawValue: self.authMethod),
            method == .tlsClientAuth || method == .privateKeyJWT
        else {
            throw CommandFailure(description: "--auth-method must be tls_client_auth or private_key_jwt, not '\(self.authMethod)'.")
        }
        guard let format = DNFormat(rawValue: self.dnFormat) else {
            throw CommandFailure(description: "--dn-format must be openssl or rfc4514, not '\(self.dnFormat)'.")
        }
        guard let ssaFile = self.ssa else {
            throw CommandFailure(description: "Pass --ssa FILE (make one with `ob-sandbox ssa create --out ssa.jwt`).")
        }
        let ssa = try TPPCredentials.softwareStatement(ssaFile)
        var builder = try RegistrationRequestBuilder(
            softwareStatement: ssa,
            transportCertificate: client.credentials.transportChain[0],
            tokenEndpointAuthMethod: method,
            dnFormat: format
        )
        builder.audience = self.audience
        if let subjectDN = self.subjectDN {
            builder.tlsClientAuthSubjectDN = subjectDN
        }
        if !self.redirectURIs.isEmpty {
            builder.redirectURIs = self.redirectURIs
        }
        if let scope = self.scope {
            builder.scope = scope
        }
        let signer = try TPPCredentials.signer(
            signingKey: self.signingKey ?? connection.pkiFile("tpp-signing.key"),
            keyID: self.kid
        )
        return try builder.sign(with: signer)
    }
}
