import RegistrationCore
import X509

/// A certificate published in a JWKS, as the Open Banking keystore publishes the certificates of a
/// software statement: the public key with `kid`, `use`, `x5c`, `x5t` and `x5t#S256`.
public struct PublishedCertificate: Sendable, Hashable {
    /// The JWK `use` (RFC 7517 §4.2; `tls` is Open Banking's value for transport certificates).
    public enum Use: String, Sendable, Hashable, CaseIterable {
        /// A signing key: request objects, SSAs, client assertions.
        case sig
        /// A transport (MTLS client) certificate: how a certificate is tied to a software
        /// (open-banking.md §6), never used to verify signatures.
        case tls
    }

    /// The certificate whose key is published.
    public let certificate: Certificate
    /// The CA certificates that follow it in `x5c` (the issuing CA), leaf excluded.
    public let chain: [Certificate]
    /// The `use`.
    public let use: Use

    /// A published certificate.
    public init(certificate: Certificate, chain: [Certificate] = [], use: Use) {
        self.certificate = certificate
        self.chain = chain
        self.use = use
    }

    /// The `kid`: RFC 7638 thumbprint of the public key (``JWKThumbprint``).
    public func keyID() throws -> String {
        try JWKThumbprint.keyID(of: self.certificate.publicKey)
    }

    /// The key as a ``JSONWebKey``: `alg` PS256/ES256 for `sig` keys (so a verifier cannot be
    /// talked into another algorithm, RFC 8725 §3.1), none for `tls` keys.
    ///
    /// - Throws: ``SandboxDirectoryError/unsupportedKey`` for key types other than RSA and P-256.
    public func jsonWebKey() throws -> JSONWebKey {
        guard let material = JWKThumbprint.material(of: self.certificate.publicKey) else {
            throw SandboxDirectoryError.unsupportedKey
        }
        var algorithm: String?
        if self.use == .sig {
            if case .rsa = material {
                algorithm = JWSAlgorithm.ps256.name
            } else {
                algorithm = JWSAlgorithm.es256.name
            }
        }
        return JSONWebKey(
            material: material,
            keyID: JWKThumbprint.keyID(of: material),
            use: self.use.rawValue,
            algorithm: algorithm,
            certificateChain: try ([self.certificate] + self.chain).map(JWKThumbprint.der),
            certificateThumbprintS256: try JWKThumbprint.certificateS256(self.certificate)
        )
    }

    /// The JWK JSON object as served: ``jsonWebKey()`` plus `x5t` (SHA-1, RFC 7517 §4.8), which
    /// the real keystore also publishes.
    public func json() throws -> [String: JSONValue] {
        var object = try self.jsonWebKey().json
        object["x5t"] = .string(try JWKThumbprint.certificateSHA1(self.certificate))
        return object
    }
}
