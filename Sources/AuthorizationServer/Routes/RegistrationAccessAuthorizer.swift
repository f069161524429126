import Foundation
import Hummingbird
import Logging
import MTLSIdentity

/// Decides whether a request may read, update or delete the registration of `{client_id}`
/// (RFC 7592 §2, OB DCR 3.3).
///
/// The Bearer token is one of:
/// - an access token of this server from `client_credentials`: signature, issuer, expiry, still
///   active in the store (not revoked), and its `cnf.x5t#S256` equal to the presented certificate
///   (RFC 8705 §3: a bound token without its certificate is worthless);
/// - the client's RFC 7592 `registration_access_token` (compared as SHA-256 in constant time);
///   then the presented certificate must belong to the registered client (subject DN matched by
///   RDN to `tls_client_auth_subject_dn`; otherwise the same certificate, or a legacy OB
///   certificate of the same software and organisation), so certificates can rotate.
///
/// Outcomes: unknown or deleted client → 401 and the presented access token revoked (RFC 7592
/// §3); a valid access token of another client → 403; anything else invalid → 401
/// `invalid_token` with a Bearer challenge.
struct RegistrationAccessAuthorizer: Sendable {
    let dependencies: EndpointDependencies

    /// The registered client the request may manage.
    func authorize(
        _ request: Request,
        clientID: String,
        identity: ClientIdentity?,
        logger: Logger
    ) async throws(EndpointError) -> RegisteredClient {
        guard let identity else {
            throw .invalidClient(
                "a client certificate chaining to the Open Banking transport trust roots is required",
                scheme: "Bearer"
            )
        }
        guard case .bearer(let token)? = try HTTPAuthorization.parse(request.headers) else {
            throw .invalidToken("a Bearer token is required")
        }
        let store = self.dependencies.store
        if let claims = self.dependencies.tokenIssuer.verify(token, now: self.dependencies.clock()) {
            let active = try await withStore(logger) { () async throws(ClientStoreError) -> IssuedToken? in
                try await store.activeToken(jti: claims.jwtID)
            }
            guard active != nil else {
                throw .invalidToken("the access token is revoked or expired")
            }
            guard claims.certificateThumbprint == identity.thumbprintS256 else {
                throw .invalidToken("the access token is not bound to the presented certificate")
            }
            guard let client = try await self.client(clientID, logger: logger) else {
                try await withStore(logger) { () async throws(ClientStoreError) in
                    try await store.revokeToken(jti: claims.jwtID)
                }
                logger.notice(
                    "token revoked: used for an unknown client",
                    metadata: ["client_id": "\(claims.clientID)"]
                )
                throw .invalidToken("unknown client; the access token has been revoked")
            }
            guard client.clientID == claims.clientID else {
                throw .forbidden("the access token belongs to another client")
            }
            return client
        }
        guard let client = try await self.client(clientID, logger: logger) else {
            throw .invalidToken("unknown client")
        }
        guard RandomToken.matches(token, sha256Hex: client.registrationAccessTokenHash) else {
            throw .invalidToken("the token is neither an access token nor the registration access token of this client")
        }
        guard Self.certificateBelongs(identity, to: client) else {
            throw .invalidToken("the presented certificate does not belong to this client")
        }
        return client
    }

    /// Whether `identity` may act for `client` with its registration access token.
    static func certificateBelongs(_ identity: ClientIdentity, to client: RegisteredClient) -> Bool {
        if let registered = client.tlsClientAuthSubjectDN {
            guard let parsed = try? ParsedDistinguishedName(parsing: registered) else { return false }
            return parsed.matches(ParsedDistinguishedName(identity.subject))
        }
        if identity.thumbprintS256 == client.transportCertificateThumbprint {
            return true
        }
        return identity.softwareID == client.softwareID && identity.orgID == client.organisationID
    }

    private func client(_ clientID: String, logger: Logger) async throws(EndpointError) -> RegisteredClient? {
        try await withStore(logger) { () async throws(ClientStoreError) -> RegisteredClient? in
            try await self.dependencies.store.client(id: clientID)
        }
    }
}
