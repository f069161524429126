import Foundation

/// A registered OAuth client as stored: the validated registration plus what the server issued.
///
/// Why the SSA and its claims are kept whole: operators inspect a client the way PingFederate's
/// client page shows it (the seed's "Extended Client Metadata"), and a later audit must be able to
/// see exactly which software statement a client was registered with.
public struct RegisteredClient: Sendable, Hashable, Codable {
    /// The issued `client_id` (random, URL-safe).
    public var clientID: String
    /// `client_id_issued_at`, seconds since 1970.
    public var clientIDIssuedAt: Int64
    /// Seconds since 1970 of the last update (PUT), equal to issuance when never updated.
    public var updatedAt: Int64
    /// `token_endpoint_auth_method` as registered.
    public var tokenEndpointAuthMethod: String
    /// The registered subject DN (tls_client_auth), exactly as the client sent it.
    public var tlsClientAuthSubjectDN: String?
    /// SHA-256 (hex) of the client secret for secret-based methods; the secret itself is never stored.
    public var clientSecretHash: String?
    /// SHA-256 (hex) of the RFC 7592 registration access token.
    public var registrationAccessTokenHash: String
    /// The SSA's `software_id` and `org_id` (indexed: operators look clients up by them).
    public var softwareID: String
    public var organisationID: String
    /// The `x5t#S256` of the transport certificate presented at registration.
    public var transportCertificateThumbprint: String
    /// Space-separated registered scope.
    public var scope: String
    /// The registered metadata as returned in the 201 body (JSON object, sorted keys), without
    /// secrets or tokens.
    public var metadataJSON: String
    /// The raw software statement (compact JWS) the client was registered with.
    public var softwareStatement: String
    /// The SSA's claims (JSON object).
    public var softwareStatementClaimsJSON: String
    /// The configured `extended_metadata` SSA claims, by name, as strings (arrays joined by " ").
    public var extendedMetadata: [String: String]

    /// Creates a stored client.
    public init(
        clientID: String,
        clientIDIssuedAt: Int64,
        updatedAt: Int64,
        tokenEndpointAuthMethod: String,
        tlsClientAuthSubjectDN: String?,
        clientSecretHash: String?,
        registrationAccessTokenHash: String,
        softwareID: String,
        organisationID: String,
        transportCertificateThumbprint: String,
        scope: String,
        metadataJSON: String,
        softwareStatement: String,
        softwareStatementClaimsJSON: String,
        extendedMetadata: [String: String]
    ) {
        self.clientID = clientID
        self.clientIDIssuedAt = clientIDIssuedAt
        self.updatedAt = updatedAt
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.tlsClientAuthSubjectDN = tlsClientAuthSubjectDN
        self.clientSecretHash = clientSecretHash
        self.registrationAccessTokenHash = registrationAccessTokenHash
        self.softwareID = softwareID
        self.organisationID = organisationID
        self.transportCertificateThumbprint = transportCertificateThumbprint
        self.scope = scope
        self.metadataJSON = metadataJSON
        self.softwareStatement = softwareStatement
        self.softwareStatementClaimsJSON = softwareStatementClaimsJSON
        self.extendedMetadata = extendedMetadata
    }
}
