import Foundation

/// A registration that passed every rule: the metadata to store and to return in the 201 body.
///
/// Values from the SSA take precedence over the request's (RFC 7591 §2.3): `software_id`,
/// `software_version`, `client_name` (from `software_client_name`), `client_uri`, `logo_uri`,
/// `policy_uri`, `tos_uri` (from the `software_*` equivalents) and `jwks_uri` (from
/// `software_jwks_endpoint`).
public struct ValidatedRegistration: Sendable, Hashable {
    /// The SSA's `software_id` (= the request's `iss`).
    public let softwareID: String
    /// The SSA's `org_id`.
    public let organisationID: String
    /// The registered redirect URIs (each in the SSA), duplicates removed.
    public let redirectURIs: [String]
    /// The registered authentication method.
    public let tokenEndpointAuthMethod: TokenEndpointAuthMethod
    /// `tls_client_auth_subject_dn` exactly as the client sent it (only for `tls_client_auth`).
    public let tlsClientAuthSubjectDN: String?
    /// `token_endpoint_auth_signing_alg`.
    public let tokenEndpointAuthSigningAlgorithm: JWSAlgorithm?
    /// Registered grant types.
    public let grantTypes: [String]
    /// Registered response types, in the policy's spelling.
    public let responseTypes: [String]
    /// Registered scopes, in request order (defaults sorted).
    public let scopes: [String]
    /// `application_type` (`web` when absent).
    public let applicationType: String
    /// `id_token_signed_response_alg`.
    public let idTokenSignedResponseAlgorithm: JWSAlgorithm?
    /// `request_object_signing_alg`.
    public let requestObjectSigningAlgorithm: JWSAlgorithm?
    /// RFC 8705 `x5t#S256` of the transport certificate presented at registration.
    public let transportCertificateThumbprint: String
    /// The request's `jti`, for the replay store.
    public let requestJWTID: String
    /// The request's `exp`: keep the `jti` until then (plus the clock skew).
    public let requestExpiresAt: Date
    /// The SSA as received (compact JWS).
    public let softwareStatement: String
    /// The SSA claims.
    public let softwareStatementClaims: SoftwareStatement
    /// Further client metadata (RFC 7591 names) after SSA precedence: `client_name`, `jwks_uri`,
    /// `software_version`, `contacts`, encryption algorithms, ….
    public let additionalMetadata: [String: JSONValue]

    /// `scope` as registered: the scopes joined by single spaces (always a string, never an
    /// array, open-banking.md §8).
    public var scope: String {
        self.scopes.joined(separator: " ")
    }

    /// Whether a `client_secret` must be issued (and stored hashed).
    public var requiresClientSecret: Bool {
        self.tokenEndpointAuthMethod.usesClientSecret
    }

    /// The registered client metadata as RFC 7591 members: strings for `scope` and every alg,
    /// arrays for URIs and types, and `tls_client_certificate_bound_access_tokens: true`
    /// (RFC 8705 §3.4: every token we issue is certificate-bound).
    public var metadata: [String: JSONValue] {
        var members = self.additionalMetadata
        members["software_id"] = .string(self.softwareID)
        members["redirect_uris"] = .array(self.redirectURIs.map(JSONValue.string))
        members["token_endpoint_auth_method"] = .string(self.tokenEndpointAuthMethod.rawValue)
        members["grant_types"] = .array(self.grantTypes.map(JSONValue.string))
        members["response_types"] = .array(self.responseTypes.map(JSONValue.string))
        members["scope"] = .string(self.scope)
        members["application_type"] = .string(self.applicationType)
        members["tls_client_certificate_bound_access_tokens"] = .bool(true)
        if let dn = self.tlsClientAuthSubjectDN {
            members["tls_client_auth_subject_dn"] = .string(dn)
        }
        if let algorithm = self.tokenEndpointAuthSigningAlgorithm {
            members["token_endpoint_auth_signing_alg"] = .string(algorithm.name)
        }
        if let algorithm = self.idTokenSignedResponseAlgorithm {
            members["id_token_signed_response_alg"] = .string(algorithm.name)
        }
        if let algorithm = self.requestObjectSigningAlgorithm {
            members["request_object_signing_alg"] = .string(algorithm.name)
        }
        return members
    }
}
