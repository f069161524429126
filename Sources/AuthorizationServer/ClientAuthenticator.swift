import Foundation
import Logging
import MTLSIdentity
import RegistrationCore

/// Authenticates a client at the token endpoint with the method it registered.
///
/// Why the registered method is enforced: a client registered for `tls_client_auth` or
/// `private_key_jwt` has no secret; accepting another method would let whoever learns a
/// `client_id` try methods until one is weaker (RFC 7591 §2 `token_endpoint_auth_method`,
/// FAPI 1.0 Advanced §5.2.2 item 14). Every failure is 401 `invalid_client` with the same kind of
/// description, so the response does not tell an attacker which part was wrong beyond what the
/// client itself sent.
struct ClientAuthenticator: Sendable {
    let settings: EndpointSettings
    let fetcher: JWKSFetcher
    let store: any ClientStore

    /// The authenticated client.
    ///
    /// - Parameter identity: the verified certificate of the request (every token is bound to it).
    /// - Throws: 401 `invalid_client`, or 503 when the store fails.
    func authenticate(
        _ credentials: ClientCredentials,
        identity: ClientIdentity,
        now: Date,
        logger: Logger
    ) async throws(EndpointError) -> RegisteredClient {
        let assertion: ClientAssertion?
        let clientID: String
        switch credentials {
        case .secretBasic(let id, _), .secretPost(let id, _), .certificate(let id):
            assertion = nil
            clientID = id
        case .assertion(let parameter, let text):
            let parsed = try ClientAssertion(parsing: text)
            if let parameter, parameter != parsed.issuer {
                throw .invalidClient("client_id does not match the client_assertion's iss")
            }
            assertion = parsed
            clientID = parsed.issuer
        }
        let found = try await withStore(logger) { () async throws(ClientStoreError) -> RegisteredClient? in
            try await self.store.client(id: clientID)
        }
        guard let client = found else {
            throw .invalidClient("unknown client")
        }
        guard client.tokenEndpointAuthMethod == credentials.method.rawValue else {
            throw .invalidClient(
                "the client is registered for \(client.tokenEndpointAuthMethod), not \(credentials.method.rawValue)"
            )
        }
        switch credentials {
        case .secretBasic(_, let secret), .secretPost(_, let secret):
            guard let hash = client.clientSecretHash, RandomToken.matches(secret, sha256Hex: hash) else {
                throw .invalidClient("invalid client secret")
            }
        case .certificate:
            try Self.checkSubject(of: client, presented: identity)
        case .assertion:
            if let assertion {
                try await self.verify(assertion, of: client, now: now, logger: logger)
            }
        }
        return client
    }

    /// RFC 8705 §2.1.2: the certificate's subject must equal `tls_client_auth_subject_dn`,
    /// compared as distinguished names (open-banking.md §2), never as strings.
    static func checkSubject(of client: RegisteredClient, presented identity: ClientIdentity) throws(EndpointError) {
        guard let registered = client.tlsClientAuthSubjectDN,
            let parsed = try? ParsedDistinguishedName(parsing: registered),
            parsed.matches(ParsedDistinguishedName(identity.subject))
        else {
            throw .invalidClient("the client certificate's subject does not match tls_client_auth_subject_dn")
        }
    }

    private func verify(
        _ assertion: ClientAssertion,
        of client: RegisteredClient,
        now: Date,
        logger: Logger
    ) async throws(EndpointError) {
        let claims = (try? JSONValue.parse(Array(client.softwareStatementClaimsJSON.utf8), maximumLength: .max))?
            .objectValue
        guard let endpoint = claims?["software_jwks_endpoint"]?.stringValue,
            let directory = claims?["iss"]?.stringValue.flatMap(self.settings.directory(issuer:))
        else {
            throw .invalidClient("no signing keys are known for this client")
        }
        var algorithms = self.settings.policy.allowedAlgorithms
        let metadata = (try? JSONValue.parse(Array(client.metadataJSON.utf8), maximumLength: .max))?.objectValue
        if let registered = metadata?["token_endpoint_auth_signing_alg"]?.stringValue.flatMap(JWSAlgorithm.init) {
            algorithms = algorithms.intersection([registered])
        }
        do throws(JWKSVerificationError) {
            _ = try await self.fetcher.verify(
                assertion.jws,
                using: self.settings.softwareKeys(endpoint, in: directory),
                allowedAlgorithms: algorithms
            )
        } catch {
            switch error {
            case .rejected(let jose):
                throw .invalidClient("client_assertion: \(jose)")
            case .keySetUnavailable(let failure):
                throw .invalidClient("client_assertion: the software JWKS at software_jwks_endpoint \(failure)")
            }
        }
        let expiresAt = try assertion.checkClaims(
            clientID: client.clientID,
            audiences: self.settings.clientAssertionAudiences,
            maximumLifetime: self.settings.policy.requestMaxAge,
            clockSkew: self.settings.policy.clockSkew,
            now: now
        )
        let fresh = try await withStore(logger) { () async throws(ClientStoreError) -> Bool in
            try await self.store.recordJTI(
                assertion.jwtID,
                scope: "client_assertion:" + client.clientID,
                expiresAt: expiresAt
            )
        }
        guard fresh else {
            throw .invalidClient("client_assertion: jti has already been used (replay)")
        }
    }
}
