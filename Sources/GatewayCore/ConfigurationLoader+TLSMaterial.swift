import Foundation
import X509

extension ConfigurationLoader.Pass {
    /// Records a problem unless `privateKey` belongs to `certificate`.
    ///
    /// Why at load time: a mismatched pair otherwise surfaces as an obscure handshake failure on
    /// the first connection (or, in NIOSSL, at context creation with an OpenSSL error stack).
    func checkPrivateKey(_ privateKey: Certificate.PrivateKey, matches certificate: Certificate, keyPath: String) {
        guard privateKey.publicKey != certificate.publicKey else { return }
        let subject = ConfigurationLoader.quoted(String(describing: certificate.subject))
        self.diagnostics.problem(keyPath, "does not match the first certificate of certificate_chain (\(subject))")
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
}
