import Crypto
import X509
import _CryptoExtras

/// The kind of key pair the sandbox generates for a certificate or a token-signing key.
///
/// Why RSA is the default everywhere: the real Open Banking hierarchy is RSA only (RSA 4096 roots,
/// RSA 2048 issuing CAs and leaves, sha256WithRSAEncryption; shared docs open-banking.md §1), and
/// PS256 is the algorithm banks expect on request objects and SSAs. P-256 exists because generating
/// it takes microseconds, which keeps the test suite fast.
public enum SandboxKeyType: Sendable, Hashable {
    /// An RSA key of the given modulus size in bits (at least 2048, as required by swift-crypto).
    case rsa(bits: Int)
    /// An ECDSA key on NIST P-256 (signed certificates use ecdsa-with-SHA256, RFC 5758 §3.2).
    case p256

    /// Generates a fresh private key of this type.
    ///
    /// - Throws: `SandboxPKIError.unsupportedKeySize` when an RSA size below 2048 bits or not a
    ///   multiple of 8 is requested.
    public func makePrivateKey() throws -> Certificate.PrivateKey {
        switch self {
        case .rsa(let bits):
            guard bits >= 2048, bits % 8 == 0 else {
                throw SandboxPKIError.unsupportedKeySize(bits: bits)
            }
            return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
        case .p256:
            return Certificate.PrivateKey(P256.Signing.PrivateKey())
        }
    }

    /// True for RSA keys; used to decide whether `keyEncipherment` belongs in keyUsage.
    var isRSA: Bool {
        if case .rsa = self {
            return true
        }
        return false
    }
}
