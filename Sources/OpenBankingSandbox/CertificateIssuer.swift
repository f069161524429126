import Crypto
import Foundation
import X509
import _CryptoExtras

/// Issues certificates: the building block of the sandbox PKI and of odd certificates in tests
/// (unusual DNs, multi-valued RDNs, unknown critical extensions, any validity window, any EKU).
///
/// Signatures use sha256WithRSAEncryption when the issuer key is RSA (as the real Open Banking CAs
/// do, open-banking.md §1) and ecdsa-with-SHA256 when it is P-256 (RFC 5758 §3.2). Serial numbers
/// are 20 random bytes unless given (RFC 5280 §4.1.2.2: unique per CA, at most 20 octets).
public enum CertificateIssuer {
    /// Makes a self-signed root CA: CA true without a path length, critical keyCertSign + cRLSign,
    /// subject and authority key identifiers.
    public static func makeRoot(
        subject: DistinguishedName,
        key: SandboxKeyType,
        notBefore: Date,
        notAfter: Date,
        serialNumber: Certificate.SerialNumber? = nil
    ) throws -> IssuedCertificate {
        let privateKey = try key.makePrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: serialNumber ?? Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: subject,
            subject: subject,
            signatureAlgorithm: Self.signatureAlgorithm(for: privateKey),
            extensions: CertificateProfile.rootExtensions(subjectKey: privateKey.publicKey),
            issuerPrivateKey: privateKey
        )
        return try IssuedCertificate(certificate: certificate, privateKey: privateKey)
    }

    /// Generates a key of type `key` and issues a certificate for it, signed by `issuer`.
    ///
    /// - Parameters:
    ///   - additionalExtensions: added after the profile's extensions; one with the same OID as a
    ///     profile extension replaces it (e.g. to make EKU critical).
    public static func issue(
        subject: DistinguishedName,
        key: SandboxKeyType,
        issuer: IssuedCertificate,
        profile: CertificateProfile,
        notBefore: Date,
        notAfter: Date,
        serialNumber: Certificate.SerialNumber? = nil,
        additionalExtensions: [Certificate.Extension] = []
    ) throws -> IssuedCertificate {
        let privateKey = try key.makePrivateKey()
        let certificate = try Self.issue(
            subject: subject,
            publicKey: privateKey.publicKey,
            issuer: issuer,
            profile: profile,
            notBefore: notBefore,
            notAfter: notAfter,
            serialNumber: serialNumber,
            additionalExtensions: additionalExtensions
        )
        return try IssuedCertificate(certificate: certificate, privateKey: privateKey)
    }

    /// Issues a certificate for an existing public key (for example one taken from a CSR).
    ///
    /// Why the caller owns the subject and key: signing a CSR must not trust the CSR's requested
    /// extensions; the profile alone decides what the certificate may be used for.
    public static func issue(
        subject: DistinguishedName,
        publicKey: Certificate.PublicKey,
        issuer: IssuedCertificate,
        profile: CertificateProfile,
        notBefore: Date,
        notAfter: Date,
        serialNumber: Certificate.SerialNumber? = nil,
        additionalExtensions: [Certificate.Extension] = []
    ) throws -> Certificate {
        var extensions = try profile.extensions(
            subjectKey: publicKey,
            authorityKeyIdentifier: Self.keyIdentifier(of: issuer.certificate)
        )
        for additional in additionalExtensions {
            if extensions[oid: additional.oid] != nil {
                extensions.update(additional)
            } else {
                try extensions.append(additional)
            }
        }
        return try Certificate(
            version: .v3,
            serialNumber: serialNumber ?? Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: issuer.certificate.subject,
            subject: subject,
            signatureAlgorithm: Self.signatureAlgorithm(for: issuer.privateKey),
            extensions: extensions,
            issuerPrivateKey: issuer.privateKey
        )
    }

    /// sha256WithRSAEncryption for RSA, ecdsa-with-SHA256/384/512 for P-256/384/521, Ed25519 otherwise.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        let publicKey = key.publicKey
        if _RSA.Signing.PublicKey(publicKey) != nil {
            return .sha256WithRSAEncryption
        }
        if P256.Signing.PublicKey(publicKey) != nil {
            return .ecdsaWithSHA256
        }
        if P384.Signing.PublicKey(publicKey) != nil {
            return .ecdsaWithSHA384
        }
        if P521.Signing.PublicKey(publicKey) != nil {
            return .ecdsaWithSHA512
        }
        return .ed25519
    }

    /// The issuer's subjectKeyIdentifier, or the RFC 5280 §4.2.1.2 SHA-1 hash of its key if absent.
    static func keyIdentifier(of certificate: Certificate) -> ArraySlice<UInt8> {
        if let ski = try? certificate.extensions.subjectKeyIdentifier {
            return ski.keyIdentifier
        }
        return SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }
}
