import Foundation

/// The claims of a DCR request JWT (open-banking.md §5, RFC 7591 §2), type-checked and kept in
/// full.
///
/// Parsing checks presence and JSON types; values are judged by ``RegistrationValidator``.
/// A claim of the wrong type is `invalid_client_metadata` naming it, except `redirect_uris`
/// (`invalid_redirect_uri`: every redirect URI problem has that code) and `software_statement`
/// (`invalid_software_statement`).
public struct RegistrationRequest: Sendable, Hashable {
    /// `iss`: the software id.
    public let issuer: String
    /// `aud`, a string or an array of strings (always an array here).
    public let audience: [String]
    /// `iat`.
    public let issuedAt: Date
    /// `exp`.
    public let expiresAt: Date
    /// `jti`: the replay-cache key.
    public let jwtID: String
    /// `redirect_uris` (required).
    public let redirectURIs: [String]
    /// `token_endpoint_auth_method` (required).
    public let tokenEndpointAuthMethod: String
    /// `tls_client_auth_subject_dn` (RFC 8705 §2.1.2).
    public let tlsClientAuthSubjectDN: String?
    /// `token_endpoint_auth_signing_alg`.
    public let tokenEndpointAuthSigningAlgorithm: String?
    /// `grant_types`; `nil` when absent.
    public let grantTypes: [String]?
    /// `response_types`; `nil` when absent.
    public let responseTypes: [String]?
    /// `scope`: a space-delimited string (RFC 7591 §2), `nil` when absent.
    public let scope: String?
    /// `software_statement`: the SSA, a compact JWS.
    public let softwareStatement: String
    /// `application_type`.
    public let applicationType: String?
    /// `id_token_signed_response_alg` (a string, never an array).
    public let idTokenSignedResponseAlgorithm: String?
    /// `request_object_signing_alg` (a string, never an array).
    public let requestObjectSigningAlgorithm: String?
    /// `software_id`.
    public let softwareID: String?
    /// Every claim as sent.
    public let claims: [String: JSONValue]

    /// Client metadata stored and echoed as sent, after type checks, unless the SSA supplies the
    /// same member (RFC 7591 §2.3). Members not listed here or validated elsewhere are ignored,
    /// as RFC 7591 §2 requires for metadata the server does not understand.
    static let passThroughStringClaims: [String] = [
        "client_name", "client_uri", "logo_uri", "policy_uri", "tos_uri",
        "id_token_encrypted_response_alg", "id_token_encrypted_response_enc",
        "request_object_encryption_alg", "request_object_encryption_enc",
        "userinfo_signed_response_alg", "backchannel_token_delivery_mode",
        "backchannel_client_notification_endpoint", "backchannel_authentication_request_signing_alg",
        "sector_identifier_uri", "subject_type",
    ]

    /// Reads the claims of the request JWT.
    ///
    /// - Throws: ``RegistrationError`` (`invalid_client_metadata` when the payload is not a JSON
    ///   object).
    public init(jws: CompactJWS) throws(RegistrationError) {
        let claims: [String: JSONValue]
        do {
            claims = try jws.claims()
        } catch {
            throw RegistrationError.requestJWS(error)
        }
        try self.init(claims: claims)
    }

    /// Reads a request claims set.
    ///
    /// - Throws: ``RegistrationError`` naming the first claim that is missing or of the wrong type.
    public init(claims: [String: JSONValue]) throws(RegistrationError) {
        let reader = ClaimReader(claims: claims)
        do {
            self.softwareStatement = try reader.requiredString("software_statement")
        } catch {
            throw RegistrationError(.invalidSoftwareStatement, error.message, claim: error.claim)
        }
        do throws(ClaimReader.Problem) {
            guard let redirectURIs = try reader.stringArray("redirect_uris") else {
                throw ClaimReader.Problem(claim: "redirect_uris", message: "claim 'redirect_uris' is required")
            }
            self.redirectURIs = redirectURIs
        } catch {
            throw RegistrationError(.invalidRedirectURI, error.message, claim: error.claim)
        }
        do throws(ClaimReader.Problem) {
            self.issuer = try reader.requiredString("iss")
            guard let audience = try reader.stringArray("aud", acceptingSingleString: true), !audience.isEmpty else {
                throw ClaimReader.Problem(claim: "aud", message: "claim 'aud' is required")
            }
            self.audience = audience
            self.issuedAt = try reader.requiredNumericDate("iat")
            self.expiresAt = try reader.requiredNumericDate("exp")
            self.jwtID = try reader.requiredString("jti")
            self.tokenEndpointAuthMethod = try reader.requiredString("token_endpoint_auth_method")
            self.tlsClientAuthSubjectDN = try reader.string("tls_client_auth_subject_dn")
            self.tokenEndpointAuthSigningAlgorithm = try reader.string("token_endpoint_auth_signing_alg")
            self.grantTypes = try reader.stringArray("grant_types")
            self.responseTypes = try reader.stringArray("response_types")
            self.scope = try reader.string("scope")
            self.applicationType = try reader.string("application_type")
            self.idTokenSignedResponseAlgorithm = try reader.string("id_token_signed_response_alg")
            self.requestObjectSigningAlgorithm = try reader.string("request_object_signing_alg")
            self.softwareID = try reader.string("software_id")
            for name in Self.passThroughStringClaims {
                _ = try reader.string(name)
            }
            _ = try reader.stringArray("contacts")
        } catch {
            throw RegistrationError(.invalidClientMetadata, error.message, claim: error.claim)
        }
        self.claims = claims
    }
}
