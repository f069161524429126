import ArgumentParser
import Foundation
import OpenBankingSandbox

/// `ob-sandbox directory serve`: the keystore over HTTPS until Ctrl-C.
struct DirectoryServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the directory JWKS, each software's JWKS and POST /ssa over HTTPS.",
        discussion: """
            GET /keystore/openbanking.jwks (the SSA signing key), GET /<org id>/<software id>.jwks \
            (signing key use sig, transport certificates use tls), GET /<org id>/revoked/<software id>.jwks \
            (empty), POST /ssa with {"org_id", "software_id", "redirect_uris", "software_roles"} (returns \
            an SSA). TLS uses the PKI's server certificate, which chains to <pki>/root-ca.pem. Certificates \
            published by `pki sign` appear without a restart. Stop with Ctrl-C.
            """
    )

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: Int = 8444

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The sandbox PKI directory (from `pki init`).", valueName: "dir"))
    var pki: String = "pki"

    @Option(
        name: .customLong("public-url"),
        help: "The base URL SSAs from POST /ssa point at (default: https://localhost:<port>)."
    )
    var publicURL: String?

    func run() async throws {
        let pki = try SandboxPKI.load(from: self.pki)
        let base = try SandboxDirectory(pki: pki)
        let pkiDirectory = self.pki
        try base.addingPublished(fromPKIDirectory: pkiDirectory).writeDirectoryJWKS(pkiDirectory: pkiDirectory)
        let server = SandboxDirectoryServer(
            configuration: .init(pki: pki, host: self.host, port: self.port, publicBaseURL: self.publicURL)
        ) {
            try base.addingPublished(fromPKIDirectory: pkiDirectory)
        }
        let software = base.software.first
        try await server.runUntilInterrupted { url in
            var lines = [
                "Sandbox directory listening on \(url) (trust \(pkiDirectory)/root-ca.pem); Ctrl-C stops it.",
                "  directory JWKS: \(url)\(SandboxDirectory.directoryJWKSPath)",
            ]
            if let software {
                lines.append("  software JWKS:  \(url)/\(software.orgID)/\(software.softwareID).jwks")
            }
            lines.append("  issue an SSA:   ob-sandbox ssa create --jwks-base-url \(url) --pki \(pkiDirectory) --out ssa.jwt")
            // Unbuffered: scripts and tests read the URL while the server keeps running.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
