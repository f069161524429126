import Crypto
import SwiftASN1
import X509
import _CryptoExtras

/// Converts certificate private keys to the one PEM form every consumer of the sandbox accepts.
///
/// Why PKCS#8 (`-----BEGIN PRIVATE KEY-----`, RFC 5208 §5 / RFC 5958 §2) for both RSA and EC:
/// swift-certificates serialises RSA keys as PKCS#1 (`RSA PRIVATE KEY`), which some tools and
/// languages refuse, while NIOSSL, OpenSSL, Java, Go and Node all read PKCS#8.
enum PrivateKeyPEM {
    /// The PEM discriminator of a PKCS#8 private key.
    static let pkcs8Discriminator = "PRIVATE KEY"

    /// Renders `key` as a PKCS#8 PEM document.
    static func pkcs8(_ key: Certificate.PrivateKey) throws -> String {
        let document = try key.serializeAsPEM()
        switch document.discriminator {
        case Self.pkcs8Discriminator:
            return document.pemString
        case "RSA PRIVATE KEY":
            return try _RSA.Signing.PrivateKey(derRepresentation: document.derBytes).pkcs8PEMRepresentation
        case "EC PRIVATE KEY":
            return try P256.Signing.PrivateKey(pemRepresentation: document.pemString).pemRepresentation
        default:
            throw SandboxPKIError.unsupportedPrivateKey(description: String(describing: key))
        }
    }
}
