import Crypto
import Foundation
import X509
import _CryptoExtras

/// Signs certificate signing requests with the sandbox issuing CA, as the Open Banking directory
/// does when a TPP uploads a CSR for a software statement.
///
/// Checks, in order (first failure wins, each a ``CSRError``):
/// 1. proof of possession: the CSR's signature verifies with its own public key (RFC 2986 §3);
/// 2. the key is RSA of at least 2048 bits (Open Banking's rule; P-256 only when allowed);
/// 3. the subject has one of the two OB shapes (``CSRSubject/init(parsing:)``).
///
/// Why nothing else is taken from the CSR: extensions come from the ``CertificateKind`` profile
/// only (a requested serverAuth or CA flag is ignored), the validity and issuer from the CA. The
/// subject is copied as parsed, so the certificate's DN is byte-for-byte the one the TPP asked for.
public enum CSRSigner {
    /// How long issued certificates are valid (OB issues two-year certificates).
    public static let defaultValidity: TimeInterval = 2 * 365 * 86_400

    /// Validates `request` and issues a certificate of `kind` for it.
    ///
    /// - Parameters:
    ///   - issuer: the issuing CA (``SandboxPKI/issuingCA``).
    ///   - psd2Roles: the roles put into the qcStatements of an OBWAC transport certificate.
    ///   - allowP256: also accept P-256 keys (tests and `--fast` sandboxes; real OB is RSA only).
    ///   - now: the start of validity (backdated one hour for peers whose clocks lag).
    /// - Returns: the certificate and the parsed subject.
    /// - Throws: ``CSRError``.
    public static func sign(
        _ request: CertificateSigningRequest,
        kind: CertificateKind,
        issuer: IssuedCertificate,
        psd2Roles: [PSD2QCStatements.Role] = [.accountInformation, .paymentInitiation],
        allowP256: Bool = false,
        now: Date = Date(),
        validity: TimeInterval = Self.defaultValidity
    ) throws -> (certificate: Certificate, subject: CSRSubject) {
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw CSRError.invalidSignature
        }
        try Self.checkKey(request.publicKey, allowP256: allowP256)
        let subject = try CSRSubject(parsing: request.subject)
        var extra: [Certificate.Extension] = []
        if kind == .transport, subject.shape == .obwac {
            extra.append(try PSD2QCStatements(roles: psd2Roles).makeExtension())
        }
        let certificate = try CertificateIssuer.issue(
            subject: request.subject,
            publicKey: request.publicKey,
            issuer: issuer,
            profile: kind.profile,
            notBefore: now - 3_600,
            notAfter: now + validity,
            additionalExtensions: extra
        )
        return (certificate, subject)
    }

    /// RSA ≥ 2048 bits (swift-crypto refuses smaller keys when the CSR parses, but a key parsed
    /// through another path is checked here too), or P-256 when allowed.
    private static func checkKey(_ key: Certificate.PublicKey, allowP256: Bool) throws {
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard rsa.keySizeInBits >= 2048 else {
                throw CSRError.unsupportedKey("RSA keys must have at least 2048 bits, this one has \(rsa.keySizeInBits)")
            }
            return
        }
        if allowP256, P256.Signing.PublicKey(key) != nil {
            return
        }
        throw CSRError.unsupportedKey("Open Banking certificates use RSA keys (2048 bits); make one with --kind and pki csr")
    }
}
