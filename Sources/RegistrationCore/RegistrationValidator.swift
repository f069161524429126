import Foundation
import MTLSIdentity

/// Every Open Banking DCR rule (open-banking.md §4–§6 and §8) as one pure function from the
/// parsed request, the parsed SSA, the presented certificate, the policy and the time to a
/// validated registration or an RFC 7591 error.
///
/// Signatures are not checked here: the server verifies the SSA with the directory's keys and
/// the request with the software JWKS (``JWSVerifier``), mapping failures with
/// ``RegistrationError/softwareStatementJWS(_:)`` and ``RegistrationError/requestJWS(_:)``.
/// `jti` replay is the server's (it needs shared storage); this type returns the `jti` and its
/// expiry in ``ValidatedRegistration``.
///
/// Order of checks, first failure wins: the SSA (issuer, age, `org_status`), the request envelope
/// (`iss`, `software_id`, `aud`, `iat`, `exp`, `jti`), the presented transport certificate,
/// redirect URIs, client authentication, grant and response types, scope, application type and
/// algorithms.
public enum RegistrationValidator {
    /// Validates a registration (or a full update, RFC 7592 §2.2).
    ///
    /// - Parameters:
    ///   - request: the request JWT's claims (signature already verified).
    ///   - ssa: the SSA's claims (signature already verified, or deliberately unsigned).
    ///   - presented: the identity proved by the client certificate on this request, `nil` when
    ///     none was presented (or it came from an untrusted proxy).
    ///   - softwareTLSThumbprints: ``JSONWebKeySet/tlsCertificateThumbprints`` of the software
    ///     JWKS, `nil` when unknown.
    ///   - policy: the server's registration policy.
    ///   - now: the current time (injected so tests control the clock).
    public static func validate(
        request: RegistrationRequest,
        ssa: SoftwareStatement,
        presented: ClientIdentity?,
        softwareTLSThumbprints: Set<String>?,
        policy: RegistrationPolicy,
        now: Date
    ) -> Result<ValidatedRegistration, RegistrationError> {
        do throws(RegistrationError) {
            try Self.checkSoftwareStatement(ssa, policy: policy, now: now)
            try Self.checkEnvelope(request, ssa: ssa, policy: policy, now: now)
            let identity = try Self.checkTransportCertificate(
                presented,
                ssa: ssa,
                softwareTLSThumbprints: softwareTLSThumbprints,
                policy: policy
            )
            let redirectURIs = try Self.checkRedirectURIs(request.redirectURIs, ssa: ssa)
            let authentication = try Self.checkClientAuthentication(request, presented: identity, policy: policy)
            let grantTypes = try Self.checkGrantTypes(request.grantTypes, policy: policy)
            let responseTypes = try Self.checkResponseTypes(
                request.responseTypes,
                grantTypes: grantTypes,
                policy: policy
            )
            let scopes = try Self.checkScope(request.scope, ssa: ssa, policy: policy)
            let applicationType = try Self.checkApplicationType(request.applicationType, policy: policy)
            let idTokenAlgorithm = try Self.checkAlgorithm(
                request.idTokenSignedResponseAlgorithm,
                claim: "id_token_signed_response_alg",
                policy: policy
            )
            let requestObjectAlgorithm = try Self.checkAlgorithm(
                request.requestObjectSigningAlgorithm,
                claim: "request_object_signing_alg",
                policy: policy
            )
            return .success(
                ValidatedRegistration(
                    softwareID: ssa.softwareID,
                    organisationID: ssa.organisationID,
                    redirectURIs: redirectURIs,
                    tokenEndpointAuthMethod: authentication.method,
                    tlsClientAuthSubjectDN: authentication.subjectDN,
                    tokenEndpointAuthSigningAlgorithm: authentication.signingAlgorithm,
                    grantTypes: grantTypes,
                    responseTypes: responseTypes,
                    scopes: scopes,
                    applicationType: applicationType,
                    idTokenSignedResponseAlgorithm: idTokenAlgorithm,
                    requestObjectSigningAlgorithm: requestObjectAlgorithm,
                    transportCertificateThumbprint: identity.thumbprintS256,
                    requestJWTID: request.jwtID,
                    requestExpiresAt: request.expiresAt,
                    softwareStatement: request.softwareStatement,
                    softwareStatementClaims: ssa,
                    additionalMetadata: Self.additionalMetadata(request, ssa: ssa)
                )
            )
        } catch {
            return .failure(error)
        }
    }

    /// Pass-through metadata with RFC 7591 §2.3 precedence: a member in the SSA (under its RFC 7591
    /// name or its OB `software_*` equivalent) replaces the request's.
    static func additionalMetadata(_ request: RegistrationRequest, ssa: SoftwareStatement) -> [String: JSONValue] {
        var metadata: [String: JSONValue] = [:]
        for name in RegistrationRequest.passThroughStringClaims + ["contacts"] {
            if let value = request.claims[name], value != .null {
                metadata[name] = value
            }
            if let value = ssa.claims[name], value != .null {
                metadata[name] = value
            }
        }
        let fromSoftwareStatement: [(String, String?)] = [
            ("client_name", ssa.softwareClientName),
            ("client_uri", ssa.softwareClientURI),
            ("logo_uri", ssa.softwareLogoURI),
            ("policy_uri", ssa.softwarePolicyURI),
            ("tos_uri", ssa.softwareTermsOfServiceURI),
            ("software_version", ssa.softwareVersion),
            ("jwks_uri", ssa.softwareJWKSEndpoint),
        ]
        for (name, value) in fromSoftwareStatement {
            if let value {
                metadata[name] = .string(value)
            }
        }
        return metadata
    }
}
