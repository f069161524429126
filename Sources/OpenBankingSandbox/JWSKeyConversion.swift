import Crypto
import RegistrationCore
import X509
import _CryptoExtras

/// Bridges swift-certificates private keys to ``JWSSigner`` keys.
///
/// Why through PKCS#8: `Certificate.PrivateKey` does not expose its backing key, and PKCS#8 is the
/// one encoding both swift-certificates and swift-crypto read for RSA and EC alike.
public enum JWSKeyConversion {
    /// The signer key for `privateKey`: RSA → PS256, P-256 → ES256.
    ///
    /// - Throws: ``SandboxDirectoryError/unsupportedKey`` for other key types.
    public static func signerKey(_ privateKey: Certificate.PrivateKey) throws -> JWSSigner.Key {
        let pem = try PrivateKeyPEM.pkcs8(privateKey)
        if let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            return .rsa(rsa)
        }
        if let p256 = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            return .p256(p256)
        }
        throw SandboxDirectoryError.unsupportedKey
    }

    /// A signer for `privateKey` whose `kid` is the RFC 7638 thumbprint of its public key
    /// (``JWKThumbprint``), unless `keyID` is given.
    public static func signer(_ privateKey: Certificate.PrivateKey, keyID: String? = nil) throws -> JWSSigner {
        let kid = try keyID ?? JWKThumbprint.keyID(of: privateKey.publicKey)
        return JWSSigner(key: try Self.signerKey(privateKey), keyID: kid)
    }
}
