import ArgumentParser
import OpenBankingSandbox

/// `ob-sandbox pki init`: generates the sandbox PKI and writes it as PEM files.
struct PKIInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Generate a sandbox PKI (root, issuing CA, server and TPP certificates, negatives).",
        discussion: """
            Writes PEM certificates, PKCS#8 private keys (mode 0600) and README.txt into the output \
            directory, and directory.jwks (the sandbox directory's SSA signing key, for the \
            authorization server's [[directory]] jwks). The server certificate always covers \
            localhost, 127.0.0.1 and ::1.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Directory to write the PKI into (created if missing).", valueName: "dir"))
    var out: String

    @Option(
        name: .customLong("san"),
        help: ArgumentHelp("Extra server name for the server certificate: a DNS name or an IP address. Repeatable.",
                           valueName: "name")
    )
    var sans: [String] = []

    @Option(name: .customLong("org-id"), help: "Organisation id (OU of legacy certificates, CN of the OBWAC).")
    var orgID: String?

    @Option(name: .customLong("software-id"), help: "Software statement id (CN of legacy certificates).")
    var softwareID: String?

    @Option(
        name: .customLong("organization-identifier"),
        help: "OBWAC organizationIdentifier (default: PSDGB-OB-Unknown followed by the org id)."
    )
    var organizationIdentifier: String?

    @Option(name: .customLong("legal-name"), help: "TPP legal name (O of the OBWAC).")
    var legalName: String?

    @Flag(name: .long, help: "Replace an existing PKI in the output directory.")
    var force = false

    @Flag(name: .long, help: "Use P-256 keys everywhere: much faster, but unlike real Open Banking (RSA).")
    var fast = false

    func run() throws {
        let existing = SandboxPKI.existingFiles(in: self.out)
        if !existing.isEmpty && !self.force {
            throw CommandFailure(
                description: "\(self.out) already contains a sandbox PKI (\(existing[0])); pass --force to replace it."
            )
        }
        let pki = try SandboxPKI.generate(self.options())
        let written = try pki.write(to: self.out)
        let jwks = try SandboxDirectory(pki: pki).writeDirectoryJWKS(pkiDirectory: self.out)
        print("Wrote a sandbox PKI to \(self.out):")
        for name in written {
            print("  \(name)")
        }
        print("  \(SandboxDirectory.jwksFileName) (the sandbox directory's JWKS, for the authorization server: \(jwks))")
    }

    /// The generation options these arguments ask for.
    func options() -> SandboxPKI.Options {
        var options: SandboxPKI.Options = self.fast ? .fast : .init()
        options.serverNames += self.sans
        if let orgID = self.orgID {
            options.orgID = orgID
            options.organizationIdentifier = "PSDGB-OB-Unknown\(orgID)"
        }
        if let organizationIdentifier = self.organizationIdentifier {
            options.organizationIdentifier = organizationIdentifier
        }
        if let softwareID = self.softwareID {
            options.softwareID = softwareID
        }
        if let legalName = self.legalName {
            options.legalName = legalName
        }
        return options
    }
}
