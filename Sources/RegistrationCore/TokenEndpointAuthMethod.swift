/// Token endpoint client authentication methods (RFC 7591 §2, RFC 8705 §2, OIDC Core §9).
public enum TokenEndpointAuthMethod: String, Sendable, Hashable, CaseIterable, Comparable {
    /// PKI mutual TLS: the client certificate's subject must match the registered
    /// `tls_client_auth_subject_dn` (RFC 8705 §2.1).
    case tlsClientAuth = "tls_client_auth"
    /// A JWT assertion signed with a key from the client's JWKS (FAPI's preferred method).
    case privateKeyJWT = "private_key_jwt"
    /// `client_id` and secret in HTTP Basic (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and secret in the form body (RFC 6749 §2.3.1).
    case clientSecretPost = "client_secret_post"
    /// A JWT assertion MACed with the client secret (needs the secret in clear at the AS).
    case clientSecretJWT = "client_secret_jwt"

    /// Whether the AS issues a `client_secret` for this method.
    public var usesClientSecret: Bool {
        switch self {
        case .clientSecretBasic, .clientSecretPost, .clientSecretJWT: return true
        case .tlsClientAuth, .privateKeyJWT: return false
        }
    }

    /// Whether `token_endpoint_auth_signing_alg` is required (open-banking.md §5).
    public var requiresSigningAlgorithm: Bool {
        self == .privateKeyJWT || self == .clientSecretJWT
    }

    /// Orders by name, for deterministic listings.
    public static func < (lhs: TokenEndpointAuthMethod, rhs: TokenEndpointAuthMethod) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
