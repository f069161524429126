import ArgumentParser
import Foundation
import OpenBankingSandbox

/// `ob-sandbox ssa create`: a PS256 SSA with every Open Banking claim.
struct SSACreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an SSA signed by the sandbox directory key (PS256; ES256 for a --fast PKI).",
        discussion: """
            Every claim of an Open Banking SSA is filled: iss "OpenBanking Ltd", iat, jti, software_* \
            (software_jwks_endpoint = <jwks base url>/<org id>/<software id>.jwks), org_* (org_status \
            Active), organisation_competent_authority_claims. The header's kid is the directory key's kid \
            in <pki>/directory.jwks, which is (re)written too. SSAs have no exp: the authorization server \
            bounds their age (ssa_max_age, 30 minutes by default), so create a fresh one before registering.
            """
    )

    @Option(name: .customLong("org-id"), help: "Organisation id (default: the OU of <pki>/tpp-transport.pem).")
    var orgID: String?

    @Option(name: .customLong("software-id"), help: "Software id (default: the CN of <pki>/tpp-transport.pem).")
    var softwareID: String?

    @Option(name: .customLong("redirect-uri"), help: "A software redirect URI (repeatable; default https://tpp.example.com/callback).")
    var redirectURIs: [String] = []

    @Option(name: .long, help: "Comma-separated software roles: AISP, PISP, CBPII.")
    var roles: String = "AISP,PISP"

    @Option(name: .customLong("jwks-base-url"), help: "The sandbox directory's base URL (where `directory serve` listens).")
    var jwksBaseURL: String = "https://localhost:8444"

    @Option(name: .long, help: ArgumentHelp("The sandbox PKI directory (from `pki init`).", valueName: "dir"))
    var pki: String = "pki"

    @Option(name: .long, help: ArgumentHelp("Write the SSA to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("org-name"), help: "org_name.")
    var orgName: String?

    @Option(name: .customLong("client-name"), help: "software_client_name.")
    var clientName: String?

    @Option(name: .long, help: "software_mode: Test or Live.")
    var mode: String = "Test"

    @Option(name: .customLong("org-status"), help: "org_status: Active, Revoked or Withdrawn (to test refusals).")
    var orgStatus: String = "Active"

    func run() throws {
        let directory = try SandboxDirectory.load(pkiDirectory: self.pki)
        let fallback = directory.software.first
        guard let orgID = self.orgID ?? fallback?.orgID, let softwareID = self.softwareID ?? fallback?.softwareID else {
            throw CommandFailure(description: "Pass --org-id and --software-id.")
        }
        var request = SoftwareStatementRequest(
            orgID: orgID,
            softwareID: softwareID,
            redirectURIs: self.redirectURIs.isEmpty ? ["https://tpp.example.com/callback"] : self.redirectURIs,
            roles: self.roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() },
            jwksBaseURL: self.jwksBaseURL
        )
        request.mode = self.mode
        request.orgStatus = self.orgStatus
        if let orgName = self.orgName { request.orgName = orgName }
        if let clientName = self.clientName { request.clientName = clientName }
        let ssa = try directory.issueSoftwareStatement(request)
        try directory.writeDirectoryJWKS(pkiDirectory: self.pki)
        if directory.softwareRecord(orgID: orgID, softwareID: softwareID) == nil {
            FileHandle.standardError.write(Data("""
                Warning: no keys are published for \(orgID)/\(softwareID); make a signing and a transport \
                certificate with `ob-sandbox pki csr` and `ob-sandbox pki sign` before registering.

                """.utf8))
        }
        if let out = self.out {
            do {
                try (ssa + "\n").write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure(description: "Could not write \(out): \(error.localizedDescription).")
            }
            print("Wrote an SSA for software \(softwareID) of org \(orgID) to \(out) (valid for registration for the AS's ssa_max_age).")
        } else {
            print(ssa)
        }
    }
}
