import Crypto
import Foundation
import _CryptoExtras

/// One public key from a JWKS (RFC 7517 §4), with the members Open Banking relies on kept.
///
/// Why our own model: OB JWKS documents mix signing (`use: sig`), transport (`use: tls`) and
/// encryption (`use: enc`, `alg: RSA-OAEP-256`) keys, and their `x5c` entries are sometimes chains
/// or carry stray PEM armour (open-banking.md §6). JOSE libraries either reject the whole set over
/// one key they do not know or drop `use`, `x5c` and `x5t#S256`; see ``JSONWebKeySet``.
public struct JSONWebKey: Sendable, Hashable {
    /// The public key itself.
    public enum Material: Sendable, Hashable {
        /// An RSA key: modulus and public exponent, big-endian (RFC 7518 §6.3.1).
        case rsa(modulus: [UInt8], exponent: [UInt8])
        /// A P-256 key: the affine coordinates, 32 bytes each (RFC 7518 §6.2.1).
        case p256(x: [UInt8], y: [UInt8])
        /// A key type we cannot verify with, kept only for `use: tls` entries (whose certificate
        /// thumbprint is all we need).
        case unsupported(keyType: String)

        /// The JWK `kty`.
        public var keyType: String {
            switch self {
            case .rsa: return "RSA"
            case .p256: return "EC"
            case .unsupported(let keyType): return keyType
            }
        }
    }

    /// The key material.
    public let material: Material
    /// `kid`, exactly as published.
    public let keyID: String?
    /// `use` (`sig`, `tls`, `enc`, …), if present.
    public let use: String?
    /// `alg`, if present.
    public let algorithm: String?
    /// `x5c`: DER certificates, first one holding this key (RFC 7517 §4.7).
    public let certificateChain: [[UInt8]]
    /// `x5t#S256`, as published.
    public let certificateThumbprintS256: String?

    /// A key from its parts.
    public init(
        material: Material,
        keyID: String?,
        use: String? = nil,
        algorithm: String? = nil,
        certificateChain: [[UInt8]] = [],
        certificateThumbprintS256: String? = nil
    ) {
        self.material = material
        self.keyID = keyID
        self.use = use
        self.algorithm = algorithm
        self.certificateChain = certificateChain
        self.certificateThumbprintS256 = certificateThumbprintS256
    }

    /// The JWK of an RSA public key (for publishing the AS's own keys, and for tests).
    public init(
        rsa publicKey: _RSA.Signing.PublicKey,
        keyID: String?,
        use: String? = "sig",
        algorithm: String? = "PS256"
    )
        throws(JOSEError)
    {
        guard let primitives = try? publicKey.getKeyPrimitives() else {
            throw .invalidKey("RSA key primitives unavailable")
        }
        self.init(
            material: .rsa(modulus: Array(primitives.modulus), exponent: Array(primitives.publicExponent)),
            keyID: keyID,
            use: use,
            algorithm: algorithm
        )
    }

    /// The JWK of a P-256 public key.
    public init(
        p256 publicKey: P256.Signing.PublicKey,
        keyID: String?,
        use: String? = "sig",
        algorithm: String? = "ES256"
    ) {
        let raw = Array(publicKey.rawRepresentation)
        self.init(
            material: .p256(x: Array(raw.prefix(32)), y: Array(raw.suffix(32))),
            keyID: keyID,
            use: use,
            algorithm: algorithm
        )
    }

    /// RFC 8705 §3.1 thumbprint of the certificate this key describes: SHA-256 of `x5c[0]`
    /// (base64url, unpadded) when a certificate is present, else the published `x5t#S256`.
    ///
    /// Why the computed value wins: it is derived from the certificate the TPP actually uses, a
    /// published thumbprint may be stale or mistyped.
    public var tlsCertificateThumbprint: String? {
        if let leaf = self.certificateChain.first {
            return Base64URL.encode(Array(SHA256.hash(data: leaf)))
        }
        return self.certificateThumbprintS256
    }

    /// The key as a JWK JSON object (public members only).
    public var json: [String: JSONValue] {
        var object: [String: JSONValue] = ["kty": .string(self.material.keyType)]
        switch self.material {
        case .rsa(let modulus, let exponent):
            object["n"] = .string(Base64URL.encode(modulus))
            object["e"] = .string(Base64URL.encode(exponent))
        case .p256(let x, let y):
            object["crv"] = "P-256"
            object["x"] = .string(Base64URL.encode(x))
            object["y"] = .string(Base64URL.encode(y))
        case .unsupported:
            break
        }
        if let keyID = self.keyID { object["kid"] = .string(keyID) }
        if let use = self.use { object["use"] = .string(use) }
        if let algorithm = self.algorithm { object["alg"] = .string(algorithm) }
        if !self.certificateChain.isEmpty {
            object["x5c"] = .array(self.certificateChain.map { .string(Self.standardBase64($0)) })
        }
        if let thumbprint = self.certificateThumbprintS256 { object["x5t#S256"] = .string(thumbprint) }
        return object
    }

    /// Standard padded base64 (RFC 7517 §4.7: `x5c` entries are not base64url).
    private static func standardBase64(_ bytes: [UInt8]) -> String {
        var text = Base64URL.encode(bytes)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 {
            text += "="
        }
        return text
    }
}
