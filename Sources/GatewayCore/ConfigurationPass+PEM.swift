import Foundation
import SwiftASN1
import X509

extension ConfigurationLoader {
    /// How close to expiry a configured CA certificate must be to earn a start-up warning.
    static let caExpiryWarningWindow: TimeInterval = 90 * 24 * 3600
}

extension ConfigurationPass {
    /// Reads an array of PEM file paths (`trust_roots`, `intermediates`, …), loading every
    /// certificate of each and warning about CAs near expiry.
    /// - Returns: the absolute paths and all certificates, or `nil` when the key is absent.
    public func readCertificateFiles(
        _ reader: ConfigurationLoader.TableReader,
        key: String,
        required: Bool = false
    ) -> (paths: [String], certificates: [Certificate])? {
        guard let entries = reader.stringArray(key, required: required) else { return nil }
        var paths: [String] = []
        var certificates: [Certificate] = []
        for entry in entries {
            let path = self.resolve(entry.value)
            paths.append(path)
            if let loaded = self.loadCertificates(atPath: path, keyPath: entry.keyPath) {
                self.warnAboutCAExpiry(loaded, keyPath: entry.keyPath)
                certificates += loaded
            }
        }
        return (paths, certificates)
    }

    /// Every `CERTIFICATE` block of a PEM file; other blocks are ignored. Problems: unreadable
    /// file, no certificate, a certificate that does not parse.
    public func loadCertificates(atPath path: String, keyPath: String) -> [Certificate]? {
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

    /// The private key of a PEM file as a swift-certificates key: PKCS#8 `PRIVATE KEY`, PKCS#1
    /// `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY` (an `EC PARAMETERS` block before it is skipped).
    public func loadPrivateKey(atPath path: String, keyPath: String) -> Certificate.PrivateKey? {
        guard let document = self.privateKeyDocument(atPath: path, keyPath: keyPath) else { return nil }
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

    /// The first `… PRIVATE KEY` block of a PEM file, not yet decoded; problems: unreadable file,
    /// no key, an encrypted key.
    ///
    /// Why encrypted keys are refused: the binaries start unattended and have nobody to ask for a
    /// passphrase; failing at load time beats failing at the first handshake or signature.
    public func privateKeyDocument(atPath path: String, keyPath: String) -> PEMDocument? {
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
        return document
    }

    /// Warns about CA certificates (trust roots, intermediates) that expire within 90 days or have
    /// expired: an expired anchor makes every handshake or registration under it fail at that
    /// moment.
    public func warnAboutCAExpiry(_ certificates: [Certificate], keyPath: String) {
        for certificate in certificates {
            let subject = ConfigurationLoader.quoted(String(describing: certificate.subject))
            let expiry = certificate.notValidAfter
            let date = ConfigurationLoader.calendarDate(expiry)
            if expiry < self.now {
                self.diagnostics.warning(keyPath, "CA certificate \(subject) expired on \(date)")
            } else if expiry < self.now.addingTimeInterval(ConfigurationLoader.caExpiryWarningWindow) {
                let days = Int(expiry.timeIntervalSince(self.now) / (24 * 3600))
                self.diagnostics.warning(keyPath, "CA certificate \(subject) expires on \(date) (in \(days) days)")
            }
        }
    }

    /// The PEM blocks of a file (possibly none), or a recorded problem.
    public func pemDocuments(atPath path: String, keyPath: String) -> [PEMDocument]? {
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
