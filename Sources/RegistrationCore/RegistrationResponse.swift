import Foundation

/// The body of a successful registration (201) or read/update (200) response (open-banking.md §5,
/// RFC 7591 §3.2.1, RFC 7592 §3).
public enum RegistrationResponse {
    /// SSA claims not flattened into the response: they describe the SSA as a token (its issuer,
    /// issue time, id), not the client, and `iat` beside `client_id_issued_at` would confuse.
    public static let unflattenedSoftwareStatementClaims: Set<String> = [
        "iss", "sub", "aud", "iat", "exp", "nbf", "jti",
    ]

    /// The response members.
    ///
    /// Layers, each overriding the previous one: the SSA claims flattened as top-level members;
    /// the registered metadata (``ValidatedRegistration/metadata``, where SSA precedence has
    /// already been applied and validated values such as `scope` win over raw SSA members); then
    /// the server-assigned members: `software_statement`, `client_id`, `client_id_issued_at`
    /// (integer seconds, never milliseconds), `client_secret` with `client_secret_expires_at`
    /// 0 (never expires, RFC 7591 §3.2.1) when a secret is issued, `registration_access_token`
    /// and `registration_client_uri` (RFC 7592) when given.
    public static func json(
        for registration: ValidatedRegistration,
        clientID: String,
        clientIDIssuedAt: Date,
        clientSecret: String?,
        registrationAccessToken: String?,
        registrationClientURI: String?
    ) -> [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        for (name, value) in registration.softwareStatementClaims.claims
        where !Self.unflattenedSoftwareStatementClaims.contains(name) {
            body[name] = value
        }
        body.merge(registration.metadata) { _, registered in registered }
        body["software_statement"] = .string(registration.softwareStatement)
        body["client_id"] = .string(clientID)
        body["client_id_issued_at"] = .integer(Self.seconds(clientIDIssuedAt))
        if let clientSecret {
            body["client_secret"] = .string(clientSecret)
            body["client_secret_expires_at"] = .integer(0)
        } else {
            body["client_secret"] = nil
            body["client_secret_expires_at"] = nil
        }
        if let registrationAccessToken {
            body["registration_access_token"] = .string(registrationAccessToken)
        }
        if let registrationClientURI {
            body["registration_client_uri"] = .string(registrationClientURI)
        }
        return body
    }

    /// ``json(for:clientID:clientIDIssuedAt:clientSecret:registrationAccessToken:registrationClientURI:)``
    /// serialised with sorted keys (deterministic bytes for tests and caches).
    public static func body(
        for registration: ValidatedRegistration,
        clientID: String,
        clientIDIssuedAt: Date,
        clientSecret: String?,
        registrationAccessToken: String?,
        registrationClientURI: String?
    ) -> [UInt8] {
        JSONValue.object(
            Self.json(
                for: registration,
                clientID: clientID,
                clientIDIssuedAt: clientIDIssuedAt,
                clientSecret: clientSecret,
                registrationAccessToken: registrationAccessToken,
                registrationClientURI: registrationClientURI
            )
        ).serializedBytes()
    }

    /// Whole seconds since the epoch (RFC 7591 §3.2.1: a JSON number of seconds).
    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
