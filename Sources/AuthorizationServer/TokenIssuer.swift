import Foundation
import RegistrationCore

/// An access token just issued: the JWT and the record kept for revocation and introspection.
struct AccessToken: Sendable, Hashable {
    /// The compact JWS handed to the client.
    let value: String
    /// What the store records (by `jti`).
    let record: IssuedToken
}

/// The claims of one of our access tokens, after its signature, issuer and expiry were checked.
struct AccessTokenClaims: Sendable, Hashable {
    /// `jti`: the key of the stored record (revocation).
    let jwtID: String
    /// `client_id` (also `sub`).
    let clientID: String
    /// `scope`, space-separated.
    let scope: String
    /// `cnf.x5t#S256`: the certificate the token is bound to.
    let certificateThumbprint: String
    /// `iat`, seconds.
    let issuedAt: Int64
    /// `exp`, seconds.
    let expiresAt: Int64
}

/// Issues and verifies the server's certificate-bound access tokens (RFC 8705 §3, RFC 9068 shape).
///
/// Why JWTs and a store record: resource servers behind the gateway can verify the signature and
/// the `cnf` binding offline with `/jwks`, while this server can still revoke (client deleted,
/// RFC 7592 §3) because every token it accepts must also be active in the store.
struct TokenIssuer: Sendable {
    /// The signer (`kid` = the RFC 7638 thumbprint of the public key).
    let signer: JWSSigner
    /// The public key tokens are verified with.
    let verificationKey: JSONWebKey
    /// `iss` of every token: the configured issuer URL.
    let issuer: String
    /// Token lifetime.
    let lifetime: Duration

    /// The `typ` header of access tokens (RFC 9068 §2.1).
    static let tokenType = "at+jwt"

    /// An issuer signing with `signer`.
    init(signer: JWSSigner, issuer: String, lifetime: Duration) throws(JOSEError) {
        self.signer = signer
        self.verificationKey = try signer.publicJWK()
        self.issuer = issuer
        self.lifetime = lifetime
    }

    /// The server's JWKS document (`GET /jwks`): the public signing key with `kid`, `use`, `alg`.
    var jwks: JSONValue {
        JSONWebKeySet(keys: [self.verificationKey]).json
    }

    /// Signs a token for `clientID`, bound to the certificate whose `x5t#S256` is
    /// `certificateThumbprint`.
    func issue(
        clientID: String,
        scope: String,
        certificateThumbprint: String,
        now: Date
    ) throws(JOSEError) -> AccessToken {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt + self.lifetime.components.seconds
        let jwtID = RandomToken.jwtID()
        let claims: [String: JSONValue] = [
            "iss": .string(self.issuer),
            "sub": .string(clientID),
            "client_id": .string(clientID),
            "scope": .string(scope),
            "iat": .integer(issuedAt),
            "exp": .integer(expiresAt),
            "jti": .string(jwtID),
            "cnf": .object(["x5t#S256": .string(certificateThumbprint)]),
        ]
        let value = try self.signer.sign(claims: claims, type: Self.tokenType)
        let record = IssuedToken(
            jti: jwtID,
            clientID: clientID,
            scope: scope,
            certificateThumbprint: certificateThumbprint,
            issuedAt: issuedAt,
            expiresAt: expiresAt
        )
        return AccessToken(value: value, record: record)
    }

    /// The claims of `token` when it is one of ours: signed by our key with our algorithm, `iss`
    /// ours, not expired at `now`. `nil` for anything else (including registration access tokens,
    /// which are opaque). Whether it was revoked is the store's business.
    func verify(_ token: String, now: Date) -> AccessTokenClaims? {
        guard let jws = try? CompactJWS.parse(token, maximumLength: 16_384),
            jws.header.keyID == self.signer.keyID,
            (try? JWSVerifier.verify(jws, with: self.verificationKey, allowedAlgorithms: [self.signer.algorithm]))
                != nil,
            let claims = try? jws.claims(),
            claims["iss"]?.stringValue == self.issuer,
            case .integer(let expiresAt)? = claims["exp"],
            case .integer(let issuedAt)? = claims["iat"],
            let jwtID = claims["jti"]?.stringValue,
            let clientID = claims["client_id"]?.stringValue,
            let scope = claims["scope"]?.stringValue,
            let thumbprint = claims["cnf"]?.objectValue?["x5t#S256"]?.stringValue
        else {
            return nil
        }
        guard Double(expiresAt) > now.timeIntervalSince1970 else {
            return nil
        }
        return AccessTokenClaims(
            jwtID: jwtID,
            clientID: clientID,
            scope: scope,
            certificateThumbprint: thumbprint,
            issuedAt: issuedAt,
            expiresAt: expiresAt
        )
    }
}
