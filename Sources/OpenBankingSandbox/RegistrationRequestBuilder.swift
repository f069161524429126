import Foundation
import MTLSIdentity
import RegistrationCore
import X509

/// Builds the DCR request JWT a TPP posts to `/register` (open-banking.md §5): every claim, from
/// the SSA, the transport certificate and a few choices.
///
/// Why derived from the SSA: `iss`, the redirect URIs and the scopes must agree with the SSA the
/// bank will check them against (iss = software_id, redirect_uris ⊆ software_redirect_uris, scope ⊆
/// what the roles allow), so the defaults are taken from it and only narrowed by the caller.
/// The SSA is read without verifying its signature: the TPP forwards it, the bank verifies it.
public struct RegistrationRequestBuilder: Sendable {
    /// The sandbox ASPSP's org id, the default `aud`.
    public static let sandboxAudience = "0015800001041REAAY"
    /// How long a request JWT is valid: `exp` = `iat` + 5 minutes.
    public static let defaultLifetime: TimeInterval = 300

    /// The SSA, as posted in `software_statement`.
    public let softwareStatement: String
    /// The SSA's claims (signature not verified).
    public let softwareStatementClaims: SoftwareStatement
    /// `aud`: the ASPSP's org id (or its issuer URL, for banks that use it).
    public var audience: String = Self.sandboxAudience
    /// `redirect_uris`; default: all of the SSA's `software_redirect_uris`.
    public var redirectURIs: [String]
    /// `token_endpoint_auth_method`.
    public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
    /// `tls_client_auth_subject_dn`: the transport certificate's subject (sent only with
    /// `tls_client_auth`).
    public var tlsClientAuthSubjectDN: String
    /// `scope`; default: `openid` plus the scopes of the SSA's roles.
    public var scope: String
    /// `grant_types`.
    public var grantTypes: [String] = ["client_credentials", "authorization_code"]
    /// `response_types` (space-separated values).
    public var responseTypes: [String] = ["code id_token"]
    /// `application_type`.
    public var applicationType: String = "web"
    /// `id_token_signed_response_alg`.
    public var idTokenSignedResponseAlgorithm: String = JWSAlgorithm.ps256.name
    /// `exp` − `iat`.
    public var lifetime: TimeInterval = Self.defaultLifetime

    /// A builder for `softwareStatement` and a transport certificate.
    ///
    /// - Parameters:
    ///   - dnFormat: how `tls_client_auth_subject_dn` is rendered: `.openssl` (RFC 4514 order,
    ///     `organizationIdentifier=` by name, what most banks expect) or strict `.rfc4514`.
    /// - Throws: ``TPPClientError/invalidSoftwareStatement(_:)`` when the SSA is not a JWS with
    ///   SSA claims.
    public init(
        softwareStatement: String,
        transportCertificate: Certificate,
        tokenEndpointAuthMethod: TokenEndpointAuthMethod = .tlsClientAuth,
        dnFormat: DNFormat = .openssl
    ) throws(TPPClientError) {
        let claims: SoftwareStatement
        do {
            claims = try SoftwareStatement(jws: CompactJWS.parse(softwareStatement))
        } catch let error as RegistrationError {
            throw .invalidSoftwareStatement(error.errorDescription)
        } catch {
            throw .invalidSoftwareStatement("it is not a compact JWS: \(error)")
        }
        self.softwareStatement = softwareStatement
        self.softwareStatementClaims = claims
        self.redirectURIs = claims.softwareRedirectURIs
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.tlsClientAuthSubjectDN = DistinguishedNameFormatter.string(transportCertificate.subject, format: dnFormat)
        self.scope = Self.defaultScope(roles: claims.softwareRoles)
    }

    /// `openid` plus `accounts` (AISP), `payments` (PISP), `fundsconfirmations` (CBPII).
    public static func defaultScope(roles: [String]) -> String {
        let scopes: [(String, String)] = [("AISP", "accounts"), ("PISP", "payments"), ("CBPII", "fundsconfirmations")]
        let upper = Set(roles.map { $0.uppercased() })
        return (["openid"] + scopes.filter { upper.contains($0.0) }.map(\.1)).joined(separator: " ")
    }

    /// The claims, every one of open-banking.md §5; times in whole seconds.
    ///
    /// - Parameters:
    ///   - signingAlgorithm: the request's `alg`, also `request_object_signing_alg` and, for
    ///     `private_key_jwt`, `token_endpoint_auth_signing_alg`.
    public func claims(signingAlgorithm: JWSAlgorithm, now: Date, jwtID: String) -> [String: JSONValue] {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        var claims: [String: JSONValue] = [
            "iss": .string(self.softwareStatementClaims.softwareID),
            "aud": .string(self.audience),
            "iat": .integer(issuedAt),
            "exp": .integer(issuedAt + Int64(self.lifetime.rounded(.down))),
            "jti": .string(jwtID),
            "software_id": .string(self.softwareStatementClaims.softwareID),
            "redirect_uris": .array(self.redirectURIs.map { .string($0) }),
            "token_endpoint_auth_method": .string(self.tokenEndpointAuthMethod.rawValue),
            "grant_types": .array(self.grantTypes.map { .string($0) }),
            "response_types": .array(self.responseTypes.map { .string($0) }),
            "scope": .string(self.scope),
            "application_type": .string(self.applicationType),
            "id_token_signed_response_alg": .string(self.idTokenSignedResponseAlgorithm),
            "request_object_signing_alg": .string(signingAlgorithm.name),
            "software_statement": .string(self.softwareStatement),
        ]
        switch self.tokenEndpointAuthMethod {
        case .tlsClientAuth:
            claims["tls_client_auth_subject_dn"] = .string(self.tlsClientAuthSubjectDN)
        case .privateKeyJWT, .clientSecretJWT:
            claims["token_endpoint_auth_signing_alg"] = .string(signingAlgorithm.name)
        case .clientSecretBasic, .clientSecretPost:
            break
        }
        return claims
    }

    /// The signed request JWT (header `alg`, `kid` of `signer`, `typ: JWT`) with a fresh `jti`.
    ///
    /// - Throws: ``TPPClientError/signingFailed``.
    public func sign(with signer: JWSSigner, now: Date = Date(), jwtID: String = UUID().uuidString) throws(TPPClientError)
        -> String
    {
        do {
            return try signer.sign(claims: self.claims(signingAlgorithm: signer.algorithm, now: now, jwtID: jwtID))
        } catch {
            throw .signingFailed
        }
    }
}
