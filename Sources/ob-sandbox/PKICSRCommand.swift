import ArgumentParser
import Foundation
import OpenBankingSandbox

/// `ob-sandbox pki csr`: an RSA 2048 key and a PKCS#10 CSR with an Open Banking subject.
struct PKICSRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csr",
        abstract: "Make an RSA 2048 key and a certificate signing request with an Open Banking subject.",
        discussion: """
            Legacy shape: CN=<software id>,OU=<org id>,O=OpenBanking,C=GB. OBWAC/OBSeal shape: \
            CN=<org id>,organizationIdentifier=<id>,O=<legal name>,C=GB. The key is written with mode 0600. \
            Sign the CSR with `ob-sandbox pki sign`, or inspect it with `openssl req -in CSR -noout -text`.
            """
    )

    @Option(name: .long, help: "What the certificate will be for: transport (MTLS) or signing (JWS).")
    var kind: CertificateKind

    @Option(name: .long, help: "Subject shape: legacy (OB legacy certificates) or obwac (OBWAC/OBSeal).")
    var shape: SubjectShape = .legacy

    @Option(name: .customLong("org-id"), help: "Organisation id (OU of legacy subjects, CN of OBWAC subjects).")
    var orgID: String

    @Option(name: .customLong("software-id"), help: "Software statement id (CN of legacy subjects; required for legacy).")
    var softwareID: String?

    @Option(
        name: .customLong("organization-identifier"),
        help: "OBWAC organizationIdentifier (default: PSDGB-OB-Unknown followed by the org id)."
    )
    var organizationIdentifier: String?

    @Option(name: .customLong("legal-name"), help: "OBWAC legal name, the O attribute (default: MTLSGateway Sandbox TPP Ltd).")
    var legalName: String?

    @Option(name: .customLong("out-key"), help: ArgumentHelp("Where to write the private key (PKCS#8 PEM).", valueName: "file"))
    var outKey: String

    @Option(name: .customLong("out-csr"), help: ArgumentHelp("Where to write the CSR (PEM).", valueName: "file"))
    var outCSR: String

    @Flag(name: .long, help: "Replace existing output files.")
    var force = false

    func run() throws {
        let subject: CSRSubject
        switch self.shape {
        case .legacy:
            guard let softwareID = self.softwareID else {
                throw CommandFailure(description: "A legacy subject needs --software-id (its CN).")
            }
            subject = .legacy(orgID: self.orgID, softwareID: softwareID)
        case .obwac:
            subject = .obwac(
                orgID: self.orgID,
                organizationIdentifier: self.organizationIdentifier ?? "PSDGB-OB-Unknown\(self.orgID)",
                legalName: self.legalName ?? "MTLSGateway Sandbox TPP Ltd"
            )
        }
        if !self.force {
            for path in [self.outKey, self.outCSR] where FileManager.default.fileExists(atPath: path) {
                throw CommandFailure(description: "\(path) already exists; pass --force to replace it.")
            }
        }
        let csr = try SandboxCSR.generate(subject: subject, kind: self.kind)
        try csr.write(keyTo: self.outKey, requestTo: self.outCSR)
        print("Wrote the private key to \(self.outKey) (mode 0600) and the CSR to \(self.outCSR).")
        print("Subject: \(csr.request.subject)")
        print("Next: ob-sandbox pki sign --csr \(self.outCSR) --kind \(self.kind.rawValue) --out CERT.pem")
    }
}
