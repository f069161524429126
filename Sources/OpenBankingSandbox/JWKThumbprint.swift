import Crypto
import MTLSIdentity
import RegistrationCore
import SwiftASN1
import X509
import _CryptoExtras

/// Key identifiers and certificate thumbprints for published keys.
///
/// Why the `kid` is the RFC 7638 JWK thumbprint: it is derived from the public key alone, so a TPP
/// can compute the `kid` of its signing key without fetching its software JWKS, and the directory,
/// the TPP client and the authorization server (which names its own key the same way) can never
/// disagree about it.
public enum JWKThumbprint {
    /// The JWK material of an RSA or P-256 public key, `nil` for other key types.
    public static func material(of publicKey: Certificate.PublicKey) -> JSONWebKey.Material? {
        if let rsa = _RSA.Signing.PublicKey(publicKey), let primitives = try? rsa.getKeyPrimitives() {
            return .rsa(modulus: Array(primitives.modulus), exponent: Array(primitives.publicExponent))
        }
        if let p256 = P256.Signing.PublicKey(publicKey) {
            let raw = Array(p256.rawRepresentation)
            return .p256(x: Array(raw.prefix(32)), y: Array(raw.suffix(32)))
        }
        return nil
    }

    /// RFC 7638 §3 thumbprint: SHA-256 over the required members in lexicographic order without
    /// whitespace (`{"e","kty","n"}` for RSA, `{"crv","kty","x","y"}` for EC), base64url unpadded.
    ///
    /// - Throws: ``SandboxDirectoryError/unsupportedKey`` for keys other than RSA and P-256.
    public static func keyID(of publicKey: Certificate.PublicKey) throws -> String {
        guard let material = Self.material(of: publicKey) else {
            throw SandboxDirectoryError.unsupportedKey
        }
        return Self.keyID(of: material)
    }

    /// RFC 7638 thumbprint of JWK material (`unsupported` material hashes its key type only).
    public static func keyID(of material: JSONWebKey.Material) -> String {
        let canonical: String
        switch material {
        case .rsa(let modulus, let exponent):
            canonical = #"{"e":"\#(Self.base64URL(exponent))","kty":"RSA","n":"\#(Self.base64URL(modulus))"}"#
        case .p256(let x, let y):
            canonical = #"{"crv":"P-256","kty":"EC","x":"\#(Self.base64URL(x))","y":"\#(Self.base64URL(y))"}"#
        case .unsupported(let keyType):
            canonical = #"{"kty":"\#(keyType)"}"#
        }
        return Self.base64URL(Array(SHA256.hash(data: Array(canonical.utf8))))
    }

    /// RFC 8705 §3.1 / RFC 7517 §4.9 `x5t#S256`: SHA-256 of the certificate DER, base64url unpadded.
    public static func certificateS256(_ certificate: Certificate) throws -> String {
        Self.base64URL(Array(SHA256.hash(data: try Self.der(certificate))))
    }

    /// RFC 7517 §4.8 `x5t`: SHA-1 of the certificate DER, base64url unpadded (published for
    /// older clients only; never used for decisions).
    public static func certificateSHA1(_ certificate: Certificate) throws -> String {
        Self.base64URL(Array(Insecure.SHA1.hash(data: try Self.der(certificate))))
    }

    /// The DER encoding of `certificate`.
    public static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes, url: true, padding: false)
    }
}
