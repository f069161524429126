import Foundation
import RegistrationCore

/// The certificate-bound access-token check of the demo resource server, as a pure decision over a
/// token whose signature was already verified.
///
/// Why each rule:
/// - `typ` is `at+jwt` (RFC 9068 §4): an ID token or a request object signed by the same key must
///   not pass as an access token.
/// - `iss` is the authorization server's issuer (RFC 9068 §4).
/// - `exp` is in the future (RFC 7519 §4.1.4); no skew: both sides run on this machine.
/// - `cnf.x5t#S256` equals the SHA-256 thumbprint of the certificate the gateway saw on *this*
///   connection (RFC 8705 §3, §3.1): a stolen token is useless without the TPP's private key. The
///   thumbprint comes from the gateway's `Client-Cert` header (RFC 9440), which the gateway
///   removes from inbound requests, and this server listens on loopback only, behind it.
/// - `scope` contains the API's scope (RFC 6750 §3.1 `insufficient_scope`, 403).
struct BoundTokenPolicy: Sendable {
    /// The token is acceptable: who it was issued to.
    struct Accepted: Sendable, Hashable {
        /// `client_id`.
        let clientID: String
        /// The bound certificate's thumbprint.
        let thumbprint: String
    }

    /// The expected `iss`.
    let issuer: String
    /// The scope the API requires (`accounts`).
    let requiredScope: String

    /// Decides on `claims` (and the JOSE `typ`) for a request presented with the certificate
    /// whose `x5t#S256` is `presentedThumbprint` (nil: no certificate was forwarded).
    func evaluate(
        type: String?,
        claims: [String: JSONValue],
        presentedThumbprint: String?,
        now: Date
    ) -> Result<Accepted, TokenRefusal> {
        guard type?.lowercased() == "at+jwt" || type?.lowercased() == "application/at+jwt" else {
            return .failure(.invalidToken("the token is not an access token (typ must be at+jwt)"))
        }
        guard claims["iss"]?.stringValue == self.issuer else {
            return .failure(.invalidToken("the token was not issued by \(self.issuer)"))
        }
        guard case .integer(let expiresAt)? = claims["exp"] else {
            return .failure(.invalidToken("the token has no exp"))
        }
        guard Double(expiresAt) > now.timeIntervalSince1970 else {
            return .failure(.invalidToken("the token has expired"))
        }
        guard let clientID = claims["client_id"]?.stringValue else {
            return .failure(.invalidToken("the token has no client_id"))
        }
        guard let bound = claims["cnf"]?.objectValue?["x5t#S256"]?.stringValue else {
            return .failure(.invalidToken("the token is not bound to a certificate (no cnf.x5t#S256)"))
        }
        guard let presentedThumbprint else {
            return .failure(.invalidToken("no client certificate was presented, and the token is certificate-bound"))
        }
        guard presentedThumbprint == bound else {
            return .failure(
                .invalidToken(
                    "the token is bound to another certificate (cnf.x5t#S256 \(bound), presented \(presentedThumbprint))"
                )
            )
        }
        let scopes = (claims["scope"]?.stringValue ?? "").split(separator: " ").map(String.init)
        guard scopes.contains(self.requiredScope) else {
            return .failure(
                TokenRefusal(
                    status: 403,
                    error: "insufficient_scope",
                    description: "the token's scope does not include \(self.requiredScope)"
                )
            )
        }
        return .success(Accepted(clientID: clientID, thumbprint: presentedThumbprint))
    }
}
