import SwiftASN1
import X509

/// A certificate with its private key.
///
/// The PEM and DER renderings are computed once, when the value is made, so reading them is free
/// and cannot fail.
public struct IssuedCertificate: Sendable {
    /// The certificate.
    public let certificate: Certificate
    /// The private key whose public half is in `certificate`.
    public let privateKey: Certificate.PrivateKey

    private let pemOfCertificate: String
    private let pemOfPrivateKey: String
    private let der: [UInt8]

    /// Pairs a certificate with its private key.
    ///
    /// Why the check: a mismatched pair fails much later and far away (a TLS handshake error with
    /// no hint of the cause), so it is refused here.
    ///
    /// - Throws: `SandboxPKIError.keyDoesNotMatchCertificate` if `privateKey` does not belong to
    ///   `certificate`; `SandboxPKIError.unsupportedPrivateKey` for key types other than RSA and
    ///   NIST P-curves.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        guard privateKey.publicKey == certificate.publicKey else {
            throw SandboxPKIError.keyDoesNotMatchCertificate(subject: String(describing: certificate.subject))
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.pemOfCertificate = Self.terminated(try certificate.serializeAsPEM().pemString)
        self.pemOfPrivateKey = Self.terminated(try PrivateKeyPEM.pkcs8(privateKey))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.der = serializer.serializedBytes
    }

    /// Parses a PEM certificate and a PEM private key (PKCS#8, PKCS#1 or SEC1) and pairs them.
    ///
    /// - Throws: the parse errors of swift-certificates, or the errors of `init(certificate:privateKey:)`.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        try self.init(
            certificate: Certificate(pemEncoded: certificatePEM),
            privateKey: Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        )
    }

    /// Ends a PEM block with a newline, so blocks can be concatenated into chains and bundles.
    private static func terminated(_ pem: String) -> String {
        pem.hasSuffix("\n") ? pem : pem + "\n"
    }

    /// The certificate as one PEM block (`-----BEGIN CERTIFICATE-----`), RFC 7468 §5.
    public var certificatePEM: String {
        self.pemOfCertificate
    }

    /// The private key as a PKCS#8 `PRIVATE KEY` PEM block (RSA and EC alike), RFC 7468 §10.
    ///
    /// Loads in NIOSSL (`NIOSSLPrivateKey(bytes:format: .pem)`) and `openssl pkey`.
    public var privateKeyPEM: String {
        self.pemOfPrivateKey
    }

    /// The certificate's DER encoding.
    public var derBytes: [UInt8] {
        self.der
    }
}
