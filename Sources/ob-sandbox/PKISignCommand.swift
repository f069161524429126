import ArgumentParser
import Foundation
import OpenBankingSandbox

/// `ob-sandbox pki sign`: signs a CSR with the sandbox issuing CA and publishes the certificate.
struct PKISignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a CSR with the sandbox issuing CA, as the directory does on upload.",
        discussion: """
            The CSR's signature and subject shape are checked; extensions come from --kind only. The \
            certificate is also published in the software's JWKS (served by `directory serve` at \
            /<org id>/<software id>.jwks, use tls for transport and sig for signing), stored under \
            <pki>/software/. An OBWAC/OBSeal CSR names only the organisation: pass --software-id to \
            publish it in a software's JWKS (otherwise it goes to the organisation's JWKS).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The CSR (PEM).", valueName: "file"))
    var csr: String

    @Option(name: .long, help: "What the certificate is for: transport (clientAuth) or signing.")
    var kind: CertificateKind

    @Option(name: .long, help: ArgumentHelp("Where to write the certificate (PEM).", valueName: "file"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("The sandbox PKI directory (from `pki init`).", valueName: "dir"))
    var pki: String = "pki"

    @Option(name: .customLong("software-id"), help: "Publish under this software id (default: the CN of a legacy subject).")
    var softwareID: String?

    @Flag(name: .customLong("no-publish"), help: "Do not publish the certificate in the directory's JWKS.")
    var noPublish = false

    @Flag(name: .customLong("allow-p256"), help: "Also accept P-256 keys (real Open Banking accepts RSA only).")
    var allowP256 = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: self.csr) else {
            throw CommandFailure(description: "The CSR file \(self.csr) does not exist.")
        }
        let text = try String(contentsOfFile: self.csr, encoding: .utf8)
        let request = try SandboxCSR.parse(pem: text)
        let pki = try SandboxPKI.load(from: self.pki)
        let signed = try CSRSigner.sign(request, kind: self.kind, issuer: pki.issuingCA, allowP256: self.allowP256)
        let pem = try signed.certificate.serializeAsPEM().pemString
        do {
            try (pem.hasSuffix("\n") ? pem : pem + "\n").write(toFile: self.out, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure(description: "Could not write \(self.out): \(error.localizedDescription).")
        }
        print("Wrote the \(self.kind.rawValue) certificate to \(self.out): subject \(signed.certificate.subject), issuer \(signed.certificate.issuer).")
        guard !self.noPublish else { return }
        let softwareID = self.softwareID ?? signed.subject.softwareID ?? signed.subject.orgID
        let stored = try SandboxDirectory.storePublished(
            PublishedCertificate(certificate: signed.certificate, chain: [pki.issuingCA.certificate], use: self.kind.keyUse),
            orgID: signed.subject.orgID,
            softwareID: softwareID,
            pkiDirectory: self.pki
        )
        print("Published it with use \(self.kind.keyUse.rawValue) in /\(signed.subject.orgID)/\(softwareID).jwks (stored as \(stored)).")
    }
}
