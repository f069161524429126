import Foundation
import SwiftASN1
import X509

extension ConfigurationLoader.Pass {
    /// How close to expiry a configured CA certificate must be to earn a start-up warning.
    static let caExpiryWarningWindow: TimeInterval = 90 * 24 * 3600

    /// Every `CERTIFICATE` block of a PEM file; other blocks are ignored. Problems: unreadable
    /// file, no certificate, a certificate that does not parse.
    func loadCertificates(atPath path: String, keyPath: String) -> [Certificate]? {
        guard let documents = self.pemDocuments(atPath: path, keyPath: keyPath) else { return nil }
        let certificateDocuments = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !certificateDocuments.isEmpty else {
            self.diagnostics.problem(keyPath, "no certificate in \(ConfigurationLoader.quoted(path))")
            return nil
        }
        var certificates: [Certificate] = []
        for (index, document) in certificateDocuments.enumerated() {
            do {
                certificates.append(try Certificate(pemDocument: document))
            } catch {
                self.diagnostics.problem(
                    keyPath,
                    "certificate \(index + 1) in \(ConfigurationLoader.quoted(path)) cannot be parsed"
                )
                return nil
            }
        }
        return certificates
    }

    /// The private key of a PEM file: PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY` or SEC1
    /// `EC PRIVATE KEY` (an `EC PARAMETERS` block before it is skipped). Encrypted keys are
    /// rejected because the gateway has no way to ask for a passphrase.
    func loadPrivateKey(atPath path: String, keyPath: String) -> Certificate.PrivateKey? {
        guard let documents = self.pemDocuments(atPath: path, keyPath: keyPath) else { return nil }
        guard let document = documents.first(where: { $0.discriminator.hasSuffix("PRIVATE KEY") }) else {
            self.diagnostics.problem(keyPath, "no private key in \(ConfigurationLoader.quoted(path))")
            return nil
        }
        if document.discriminator == "ENCRYPTED PRIVATE KEY" {
            self.diagnostics.problem(
                keyPath,
                "\(ConfigurationLoader.quoted(path)) holds an encrypted private key; encrypted keys are not supported"
            )
            return nil
        }
        do {
            return try Certificate.PrivateKey(pemDocument: document)
        } catch {
            self.diagnostics.problem(
                keyPath,
                "unsupported or invalid \(document.discriminator) in \(ConfigurationLoader.quoted(path))"
            )
            return nil
        }
    }

    /// Records a problem unless `privateKey` belongs to `certificate`.
    ///
    /// Why at load time: a mismatched pair otherwise surfaces as an obscure handshake failure on
    /// the first connection (or, in NIOSSL, at context creation with an OpenSSL error stack).
    func checkPrivateKey(_ privateKey: Certificate.PrivateKey, matches certificate: Certificate, keyPath: String) {
        guard privateKey.publicKey != certificate.publicKey else { return }
        let subject = ConfigurationLoader.quoted(String(describing: certificate.subject))
        self.diagnostics.problem(keyPath, "does not match the first certificate of certificate_chain (\(subject))")
    }

    /// Warns about CA certificates (trust roots, intermediates) that expire within 90 days or have
    /// expired: an expired anchor makes every client handshake fail at that moment.
    func warnAboutCAExpiry(_ certificates: [Certificate], keyPath: String) {
        for certificate in certificates {
            let subject = ConfigurationLoader.quoted(String(describing: certificate.subject))
            let expiry = certificate.notValidAfter
            let date = ConfigurationLoader.calendarDate(expiry)
            if expiry < self.now {
                self.diagnostics.warning(keyPath, "CA certificate \(subject) expired on \(date)")
            } else if expiry < self.now.addingTimeInterval(Self.caExpiryWarningWindow) {
                let days = Int(expiry.timeIntervalSince(self.now) / (24 * 3600))
                self.diagnostics.warning(keyPath, "CA certificate \(subject) expires on \(date) (in \(days) days)")
            }
        }
    }

    /// Warns when a certificate the gateway presents (its server or upstream-client certificate)
    /// is expired or not yet valid: peers will reject it.
    func warnAboutPresentedCertificate(_ certificate: Certificate, keyPath: String) {
        let subject = ConfigurationLoader.quoted(String(describing: certificate.subject))
        if certificate.notValidAfter < self.now {
            let date = ConfigurationLoader.calendarDate(certificate.notValidAfter)
            self.diagnostics.warning(keyPath, "certificate \(subject) expired on \(date)")
        } else if certificate.notValidBefore > self.now {
            let date = ConfigurationLoader.calendarDate(certificate.notValidBefore)
            self.diagnostics.warning(keyPath, "certificate \(subject) is not valid before \(date)")
        }
    }

    /// The PEM blocks of a file, or a recorded problem.
    private func pemDocuments(atPath path: String, keyPath: String) -> [PEMDocument]? {
        let text: String
        switch ConfigurationLoader.readTextFile(atPath: path) {
        case .success(let contents):
            text = contents
        case .failure(let failure):
            self.diagnostics.problem(keyPath, "cannot read \(ConfigurationLoader.quoted(path)): \(failure.reason)")
            return nil
        }
        do {
            return try PEMDocument.parseMultiple(pemString: text)
        } catch {
            self.diagnostics.problem(keyPath, "malformed PEM in \(ConfigurationLoader.quoted(path))")
            return nil
        }
    }
}
