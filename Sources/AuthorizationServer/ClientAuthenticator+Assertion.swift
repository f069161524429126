import Foundation
import RegistrationCore

/// A `private_key_jwt` client assertion (RFC 7523 §3, OIDC Core §9), parsed but not verified.
struct ClientAssertion: Sendable {
    /// The JWS.
    let jws: CompactJWS
    /// The claims.
    let claims: [String: JSONValue]
    /// `iss`: the client id.
    let issuer: String
    /// `jti`: replay protection.
    let jwtID: String

    /// Parses an assertion; `iss` and `jti` must be non-empty strings.
    ///
    /// - Throws: 401 `invalid_client`.
    init(parsing text: String) throws(EndpointError) {
        do throws(JOSEError) {
            self.jws = try CompactJWS.parse(text, maximumLength: 16_384)
            self.claims = try self.jws.claims()
        } catch {
            throw .invalidClient("client_assertion: \(error)")
        }
        guard let issuer = self.claims["iss"]?.stringValue, !issuer.isEmpty else {
            throw .invalidClient("client_assertion: claim 'iss' must be the client_id")
        }
        guard let jwtID = self.claims["jti"]?.stringValue, !jwtID.isEmpty else {
            throw .invalidClient("client_assertion: claim 'jti' is required")
        }
        self.issuer = issuer
        self.jwtID = jwtID
    }

    /// Checks the claims after the signature: `iss` = `sub` = the client id, `aud` names this
    /// server, `exp` in the future but not further than `maximumLifetime`, `iat`/`nbf` not in the
    /// future (each with `clockSkew`). Returns until when the `jti` must be remembered.
    ///
    /// - Throws: 401 `invalid_client` naming the claim.
    func checkClaims(
        clientID: String,
        audiences: Set<String>,
        maximumLifetime: Duration,
        clockSkew: Duration,
        now: Date
    ) throws(EndpointError) -> Date {
        let skew = clockSkew.inSeconds
        let seconds = now.timeIntervalSince1970
        guard self.issuer == clientID, self.claims["sub"]?.stringValue == clientID else {
            throw .invalidClient("client_assertion: 'iss' and 'sub' must both be the client_id")
        }
        let audience: [String]
        switch self.claims["aud"] {
        case .string(let value)?: audience = [value]
        case .array(let values)?: audience = values.compactMap(\.stringValue)
        default: audience = []
        }
        guard audience.contains(where: audiences.contains) else {
            throw .invalidClient("client_assertion: 'aud' must be the token endpoint or the issuer")
        }
        guard let expiresAt = self.claims["exp"]?.doubleValue else {
            throw .invalidClient("client_assertion: claim 'exp' is required (seconds)")
        }
        guard expiresAt + skew > seconds else {
            throw .invalidClient("client_assertion: expired")
        }
        guard expiresAt <= seconds + maximumLifetime.inSeconds + skew else {
            throw .invalidClient("client_assertion: 'exp' is too far in the future")
        }
        for name in ["iat", "nbf"] {
            if let value = self.claims[name] {
                guard let time = value.doubleValue, time <= seconds + skew else {
                    throw .invalidClient("client_assertion: '\(name)' must be seconds, not in the future")
                }
            }
        }
        return Date(timeIntervalSince1970: expiresAt + skew)
    }
}
