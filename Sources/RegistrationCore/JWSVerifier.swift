import Crypto
import _CryptoExtras

/// Verifies compact JWS signatures with an explicitly chosen key and an explicit algorithm
/// allow-list.
///
/// Why every step is spelled out (the "do not trust library defaults"):
/// 1. `alg` is checked against the allow-list *before* any key is touched (RFC 8725 §3.1), so
///    `none`, `HS*` and `RS256` are refused whatever key is found.
/// 2. The key's `use`, when present, must be `sig` (RFC 7517 §4.2): a transport (`tls`) key must
///    not verify request objects.
/// 3. The key's `alg`, when present, must equal the header's (RFC 7517 §4.4, RFC 8725 §3.1): an
///    RSA key published for PS256 cannot be coaxed into another algorithm.
/// 4. The key type must fit the algorithm (RSA for PS256, P-256 for ES256).
/// 5. Keys in the JWS's own `jwk`, `x5c` or `x5u` headers are never used: the caller supplies
///    the key, from the directory or the software JWKS.
public enum JWSVerifier {
    /// Verifies `jws` with `key`.
    ///
    /// PS256 (RFC 7518 §3.5) is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a salt as long as the
    /// hash: 32 bytes. swift-crypto's `.PSS` padding verifies with exactly that salt length, so a
    /// PS256 signature made with any other salt length (0, or OpenSSL's "maximum" default of
    /// `RSA_PSS_SALTLEN_AUTO`/`MAX`, which some Java and Python signers use) is reported as
    /// ``JOSEError/invalidSignature``. That matches RFC 7518 and FAPI, and it is the interop point
    /// open-banking.md §8 lists: signers must use a 32-byte salt.
    ///
    /// ES256 (RFC 7518 §3.4) signatures are the 64-byte `r || s` concatenation; a DER-encoded
    /// ECDSA signature is refused.
    ///
    /// - Throws: ``JOSEError`` naming the failed step.
    public static func verify(
        _ jws: CompactJWS,
        with key: JSONWebKey,
        allowedAlgorithms: Set<JWSAlgorithm>
    ) throws(JOSEError) {
        let algorithm = try Self.allowedAlgorithm(jws.header.algorithm, allowedAlgorithms: allowedAlgorithms)
        if let use = key.use, use != "sig" {
            throw .keyUseMismatch(use)
        }
        if let keyAlgorithm = key.algorithm, keyAlgorithm != algorithm.name {
            throw .keyAlgorithmMismatch(key: keyAlgorithm, header: algorithm.name)
        }
        switch (algorithm, key.material) {
        case (.ps256, .rsa(let modulus, let exponent)):
            let publicKey: _RSA.Signing.PublicKey
            do {
                publicKey = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            } catch {
                throw .invalidKey("RSA key is invalid or smaller than 2048 bits")
            }
            let signature = _RSA.Signing.RSASignature(rawRepresentation: jws.signature)
            guard publicKey.isValidSignature(signature, for: SHA256.hash(data: jws.signingInput), padding: .PSS)
            else {
                throw .invalidSignature
            }
        case (.es256, .p256(let x, let y)):
            let publicKey: P256.Signing.PublicKey
            do {
                publicKey = try P256.Signing.PublicKey(rawRepresentation: x + y)
            } catch {
                throw .invalidKey("not a P-256 point")
            }
            guard jws.signature.count == 64,
                let signature = try? P256.Signing.ECDSASignature(rawRepresentation: jws.signature),
                publicKey.isValidSignature(signature, for: SHA256.hash(data: jws.signingInput))
            else {
                throw .invalidSignature
            }
        default:
            throw .keyTypeMismatch(algorithm: algorithm.name, keyType: key.material.keyType)
        }
    }

    /// Looks up the signing key for `jws` in `keySet` by exact `kid` and verifies with it.
    ///
    /// The algorithm is checked first, so an `alg: none` token is refused even when its `kid` is
    /// unknown. ``JOSEError/unknownKeyID(_:)`` tells the caller to refresh the set once and retry.
    ///
    /// - Throws: ``JOSEError``.
    public static func verify(
        _ jws: CompactJWS,
        in keySet: JSONWebKeySet,
        allowedAlgorithms: Set<JWSAlgorithm>
    ) throws(JOSEError) {
        _ = try Self.allowedAlgorithm(jws.header.algorithm, allowedAlgorithms: allowedAlgorithms)
        let key = try keySet.signingKey(for: jws.header)
        try Self.verify(jws, with: key, allowedAlgorithms: allowedAlgorithms)
    }

    /// The header `alg` as an allowed ``JWSAlgorithm``.
    ///
    /// - Throws: ``JOSEError/algorithmNotAllowed(_:)`` for `none`, `HS*`, `RS256` and every other
    ///   name not in `allowedAlgorithms` (compared case-sensitively, RFC 7515 §4.1.1).
    public static func allowedAlgorithm(
        _ name: String,
        allowedAlgorithms: Set<JWSAlgorithm>
    ) throws(JOSEError)
        -> JWSAlgorithm
    {
        guard let algorithm = JWSAlgorithm(rawValue: name), allowedAlgorithms.contains(algorithm) else {
            throw .algorithmNotAllowed(name)
        }
        return algorithm
    }
}
