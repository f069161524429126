import Foundation
import RegistrationCore

/// The `private_key_jwt` client assertion (RFC 7523 §3, OIDC Core §9) for the token endpoint.
///
/// Claims: `iss` = `sub` = the client id, `aud` = the token endpoint URL, `iat`, `exp` (5 minutes
/// later), a fresh `jti` (the AS refuses replays).
public enum ClientAssertion {
    /// The `client_assertion_type` form value.
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// The assertion's claims.
    public static func claims(clientID: String, audience: String, now: Date, jwtID: String) -> [String: JSONValue] {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        return [
            "iss": .string(clientID),
            "sub": .string(clientID),
            "aud": .string(audience),
            "iat": .integer(issuedAt),
            "exp": .integer(issuedAt + 300),
            "jti": .string(jwtID),
        ]
    }

    /// A signed assertion.
    ///
    /// - Throws: ``TPPClientError/signingFailed``.
    public static func make(
        clientID: String,
        audience: String,
        signer: JWSSigner,
        now: Date = Date(),
        jwtID: String = UUID().uuidString
    ) throws(TPPClientError) -> String {
        do {
            return try signer.sign(claims: Self.claims(clientID: clientID, audience: audience, now: now, jwtID: jwtID))
        } catch {
            throw .signingFailed
        }
    }
}
