/// The JWS algorithms this library verifies and signs (RFC 7518 §3.1).
///
/// Why only two: FAPI 1.0 Advanced §8.6 and the OB DCR profile allow PS256 and ES256 for request
/// objects, SSAs and client assertions. `none` (RFC 8725 §3.1: never accept unsigned tokens),
/// every `HS*` (an RSA public key used as an HMAC secret is the classic algorithm-confusion attack,
/// RFC 8725 §2.1) and `RS256` (PKCS #1 v1.5, refused by FAPI) have no case here, so no code path
/// can verify them.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable, Comparable {
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5).
    case ps256 = "PS256"
    /// ECDSA on P-256 with SHA-256, signature as 64 bytes `r || s` (RFC 7518 §3.4).
    case es256 = "ES256"

    /// The `alg` header value.
    public var name: String {
        self.rawValue
    }

    /// Orders by name, for deterministic listings (discovery documents).
    public static func < (lhs: JWSAlgorithm, rhs: JWSAlgorithm) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Every registered JWS signature `alg` (RFC 7518 §3.1, RFC 8037): a JWK whose `alg` is not
    /// one of these (for example `RSA-OAEP-256`) is an encryption key and is skipped.
    static let registeredSignatureNames: Set<String> = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
        "PS256", "PS384", "PS512", "EdDSA", "ES256K", "none",
    ]
}
