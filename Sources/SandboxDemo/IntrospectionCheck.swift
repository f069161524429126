import AsyncHTTPClient
import AuthorizationServer
import Foundation
import NIOCore
import RegistrationCore

/// Asks the authorization server whether a token is still active (RFC 7662), after the offline
/// checks passed.
///
/// Why both: the offline check (signature, `iss`, `exp`, `cnf.x5t#S256`) needs no round trip,
/// but it cannot see revocation: a token of a deleted client would keep working until its `exp`.
/// With introspection configured, the API refuses it as soon as the client is deleted (OB DCR:
/// DELETE revokes the client's tokens).
public struct IntrospectionCredentials: Sendable, Hashable {
    /// The name in the authorization server's `[introspection] credentials`.
    public var name: String
    /// The secret (HTTP Basic); the server stores only its SHA-256.
    public var secret: String

    /// Credentials from their parts.
    public init(name: String, secret: String) {
        self.name = name
        self.secret = secret
    }

    /// A fresh random secret (256 bits, hex) for `name`.
    static func random(name: String) -> IntrospectionCredentials {
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        return IntrospectionCredentials(name: name, secret: bytes.map { String(format: "%02x", $0) }.joined())
    }

    /// `name:<sha256 hex of the secret>`, the form `[introspection] credentials` takes.
    var configurationEntry: String {
        IntrospectionCredential(name: self.name, secret: self.secret).configurationValue
    }

    /// `Basic base64(name:secret)` (RFC 7617).
    var authorizationHeader: String {
        "Basic " + Data("\(self.name):\(self.secret)".utf8).base64EncodedString()
    }
}

/// The introspection call: `nil` when the token is active, else the refusal.
struct IntrospectionCheck: Sendable {
    let url: String
    let credentials: IntrospectionCredentials
    let client: HTTPClient

    func refusal(for token: String) async -> TokenRefusal? {
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: self.credentials.authorizationHeader)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? token
        request.body = .bytes(ByteBuffer(string: "token=\(encoded)&token_type_hint=access_token"))
        let unavailable = TokenRefusal(
            status: 503,
            error: "temporarily_unavailable",
            description: "the authorization server could not be asked whether the token is active"
        )
        do {
            let response = try await self.client.execute(request, timeout: .seconds(5))
            guard response.status == .ok else { return unavailable }
            let body = try await response.body.collect(upTo: 1 << 16)
            guard case .object(let object) = try JSONValue.parse(body.readableBytesView) else {
                return unavailable
            }
            guard object["active"] == .bool(true) else {
                return .invalidToken("the token is no longer active (revoked, or its client was deleted)")
            }
            return nil
        } catch {
            return unavailable
        }
    }
}
