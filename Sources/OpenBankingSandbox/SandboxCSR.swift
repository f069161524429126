import SwiftASN1
import X509

/// A freshly generated key pair and PKCS#10 certificate signing request (RFC 2986) with an Open
/// Banking subject: what a TPP makes before uploading to the directory (the seed does it with
/// `openssl req -new -newkey rsa:2048 -nodes -subj …`).
public struct SandboxCSR: Sendable {
    /// The request.
    public let request: CertificateSigningRequest
    /// The private key that signed the request (keep it; the certificate will hold its public half).
    public let privateKey: Certificate.PrivateKey
    /// The request as a `CERTIFICATE REQUEST` PEM block (what `openssl req -in` reads).
    public let requestPEM: String
    /// The private key as a PKCS#8 `PRIVATE KEY` PEM block.
    public let privateKeyPEM: String

    /// Generates a key of type `key` and a CSR for `subject`, signed with it.
    ///
    /// The request carries an extensionRequest attribute (RFC 2985 §5.4.2) with the keyUsage and
    /// extendedKeyUsage of `kind`, as OB's onboarding guides show; the signer ignores it and
    /// applies the profile of the kind it is asked for (see ``CertificateKind``).
    ///
    /// - Parameters:
    ///   - key: RSA 2048 by default, as Open Banking requires.
    /// - Throws: ``CSRError`` for a bad subject, ``SandboxPKIError`` for a bad key size.
    public static func generate(
        subject: CSRSubject,
        kind: CertificateKind,
        key: SandboxKeyType = .rsa(bits: 2048)
    ) throws -> SandboxCSR {
        let name = try subject.distinguishedName()
        let privateKey = try key.makePrivateKey()
        var extensions = Certificate.Extensions()
        switch kind {
        case .transport:
            try extensions.append(
                Certificate.Extension(KeyUsage(digitalSignature: true, keyEncipherment: key.isRSA), critical: true)
            )
            try extensions.append(Certificate.Extension(ExtendedKeyUsage([.clientAuth]), critical: false))
        case .signing:
            try extensions.append(
                Certificate.Extension(KeyUsage(digitalSignature: true, nonRepudiation: true), critical: true)
            )
        }
        let attributes = CertificateSigningRequest.Attributes([
            try CertificateSigningRequest.Attribute(ExtensionRequest(extensions: extensions))
        ])
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: name,
            privateKey: privateKey,
            attributes: attributes,
            signatureAlgorithm: CertificateIssuer.signatureAlgorithm(for: privateKey)
        )
        let pem = try request.serializeAsPEM().pemString
        return SandboxCSR(
            request: request,
            privateKey: privateKey,
            requestPEM: pem.hasSuffix("\n") ? pem : pem + "\n",
            privateKeyPEM: try Self.terminated(PrivateKeyPEM.pkcs8(privateKey))
        )
    }

    /// Parses one PEM `CERTIFICATE REQUEST` (also accepts OpenSSL's `NEW CERTIFICATE REQUEST`).
    ///
    /// - Throws: ``CSRError/notACertificateRequest(reason:)``.
    public static func parse(pem: String) throws -> CertificateSigningRequest {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw CSRError.notACertificateRequest(reason: "no PEM block could be read")
        }
        guard documents.count == 1, let document = documents.first else {
            throw CSRError.notACertificateRequest(reason: "expected one PEM block, found \(documents.count)")
        }
        guard document.discriminator == "CERTIFICATE REQUEST" || document.discriminator == "NEW CERTIFICATE REQUEST" else {
            throw CSRError.notACertificateRequest(reason: "the PEM block is a \(document.discriminator)")
        }
        do {
            return try CertificateSigningRequest(derEncoded: document.derBytes)
        } catch {
            throw CSRError.notACertificateRequest(reason: "the DER inside is not PKCS#10")
        }
    }

    /// Writes the key (mode 0600, never broader, even briefly) and the CSR (mode 0644).
    ///
    /// - Throws: ``SandboxPKIError/writeFailed(path:reason:)``.
    public func write(keyTo keyPath: String, requestTo requestPath: String) throws {
        try SandboxFileSystem.write(self.privateKeyPEM, to: keyPath, mode: SandboxFileSystem.privateMode)
        try SandboxFileSystem.write(self.requestPEM, to: requestPath, mode: SandboxFileSystem.publicMode)
    }

    private static func terminated(_ pem: String) -> String {
        pem.hasSuffix("\n") ? pem : pem + "\n"
    }
}
