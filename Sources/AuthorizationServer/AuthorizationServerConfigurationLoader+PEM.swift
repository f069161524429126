import Foundation
import GatewayCore
import SwiftASN1
import X509

extension AuthorizationServerConfigurationLoader.Pass {
    /// How close to expiry a configured CA certificate must be to earn a start-up warning.
    static let caExpiryWarningWindow: TimeInterval = 90 * 24 * 3600

    /// Reads an array of PEM file paths (`transport_trust_roots`, `trust_roots`, …), loading every
    /// certificate of each and warning about CAs near expiry; `nil` when the key is absent.
    func readCertificateFiles(_ reader: Reader, key: String, required: Bool = false) -> [Certificate]? {
        guard let entries = reader.stringArray(key, required: required) else { return nil }
        var certificates: [Certificate] = []
        for entry in entries {
            let path = self.resolve(entry.value)
            if let loaded = self.loadCertificates(atPath: path, keyPath: entry.keyPath) {
                self.warnAboutCAExpiry(loaded, keyPath: entry.keyPath)
                certificates += loaded
            }
        }
        return certificates
    }

    /// Every `CERTIFICATE` block of a PEM file. Problems: unreadable file, no certificate, a
    /// certificate that does not parse.
    func loadCertificates(atPath path: String, keyPath: String) -> [Certificate]? {
        guard let documents = self.pemDocuments(atPath: path, keyPath: keyPath) else { return nil }
        let certificateDocuments = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !certificateDocuments.isEmpty else {
            self.diagnostics.problem(keyPath, "no certificate in \(ConfigurationLoader.quoted(path))")
            return nil
        }
        var certificates: [Certificate] = []
        for (index, document) in certificateDocuments.enumerated() {
            guard let certificate = try? Certificate(pemDocument: document) else {
                self.diagnostics.problem(keyPath, "certificate \(index + 1) in \(ConfigurationLoader.quoted(path)) cannot be parsed")
                return nil
            }
            certificates.append(certificate)
        }
        return certificates
    }

    /// Warns about CA certificates that expire within 90 days or have expired: from that moment
    /// every registration with a certificate under them fails.
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

    /// The PEM blocks of a file, or a recorded problem.
    func pemDocuments(atPath path: String, keyPath: String) -> [PEMDocument]? {
        let text: String
        switch ConfigurationLoader.readTextFile(atPath: path) {
        case .success(let contents):
            text = contents
        case .failure(let failure):
            self.diagnostics.problem(keyPath, "cannot read \(ConfigurationLoader.quoted(path)): \(failure.reason)")
            return nil
        }
        guard let documents = try? PEMDocument.parseMultiple(pemString: text), !documents.isEmpty else {
            self.diagnostics.problem(keyPath, "malformed PEM in \(ConfigurationLoader.quoted(path))")
            return nil
        }
        return documents
    }
}
