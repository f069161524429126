import ArgumentParser
import Foundation
import Logging
import SandboxDemo

/// `ob-sandbox resource-server`: the demo accounts API alone, behind a gateway running elsewhere.
struct ResourceServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resource-server",
        abstract: "Serve the demo accounts API (certificate-bound tokens only) behind mtls-gateway.",
        discussion: """
            GET \(StandaloneResourceServer.accountsPath) answers 200 only for a bearer token signed by the \
            authorization server (its /jwks, fetched over plain HTTP), issued by --issuer, with scope \
            "accounts", whose cnf.x5t#S256 equals the SHA-256 thumbprint of the certificate in the \
            gateway's Client-Cert header (RFC 8705 §3, RFC 9440). Anything else gets 401/403 with an \
            RFC 6750 WWW-Authenticate challenge. With --introspection-user NAME (secret in the file given \
            by --introspection-secret-file, else in the environment variable \(Self.secretVariable)), tokens \
            that pass are also checked with POST /introspect, so a revoked token or one of a deleted client is \
            refused at once. Plain HTTP: put it where only the \
            gateway reaches it. Stops gracefully on SIGTERM or Ctrl-C.
            """
    )

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("authorization-server"), help: ArgumentHelp("The authorization server's base URL as this process reaches it.", valueName: "url"))
    var authorizationServerURL: String

    @Option(name: .long, help: "The issuer access tokens must carry (the authorization server's [server] issuer).")
    var issuer: String

    @Option(
        name: .customLong("introspection-user"),
        help: ArgumentHelp("Also ask POST /introspect, as this [introspection] credentials name.", valueName: "name")
    )
    var introspectionUser: String?

    @Option(
        name: .customLong("introspection-secret-file"),
        help: ArgumentHelp(
            "A file holding the introspection secret (one trailing newline ignored), e.g. one the authorization server reads through [introspection] credential_files.",
            valueName: "file"
        )
    )
    var introspectionSecretFile: String?

    @Option(name: .customLong("log-level"), help: "Log level on stderr (trace … critical).")
    var logLevel: String = "info"

    /// Where the introspection secret comes from: never the command line (`ps` shows it).
    static let secretVariable = "OB_SANDBOX_INTROSPECTION_SECRET"

    /// The secret from `--introspection-secret-file`, else from the environment.
    private func introspectionSecret() throws -> String {
        if let path = self.introspectionSecretFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(description: "cannot read the introspection secret file \(path).")
            }
            var secret = String(decoding: data, as: UTF8.self)
            if secret.hasSuffix("\n") { secret.removeLast() }
            guard !secret.isEmpty else {
                throw CommandFailure(description: "the introspection secret file \(path) is empty.")
            }
            return secret
        }
        guard let secret = ProcessInfo.processInfo.environment[Self.secretVariable], !secret.isEmpty else {
            throw CommandFailure(
                description: "--introspection-user needs the secret in --introspection-secret-file or the environment variable \(Self.secretVariable)."
            )
        }
        return secret
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: self.logLevel) else {
            throw CommandFailure(description: "--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        var logger = Logger(label: "ob-sandbox.resource-server", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        let base = self.authorizationServerURL.hasSuffix("/") ? String(self.authorizationServerURL.dropLast()) : self.authorizationServerURL
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw CommandFailure(description: "--authorization-server must be an http:// or https:// URL.")
        }
        var introspection: IntrospectionCredentials?
        if let name = self.introspectionUser {
            introspection = IntrospectionCredentials(name: name, secret: try self.introspectionSecret())
        } else if self.introspectionSecretFile != nil {
            throw CommandFailure(description: "--introspection-secret-file needs --introspection-user (the name the authorization server knows it by).")
        }
        let server = StandaloneResourceServer(
            host: self.host,
            port: self.port,
            authorizationServerURL: base,
            issuer: self.issuer,
            introspection: introspection
        )
        let host = self.host
        do {
            try await server.run(logger: logger) { port in
                // Unbuffered: scripts read the port while the server keeps running.
                FileHandle.standardOutput.write(Data("Demo resource server listening on http://\(host):\(port)\(StandaloneResourceServer.accountsPath)\n".utf8))
            }
        } catch {
            throw CommandFailure(description: "the resource server stopped: \(error)")
        }
    }
}
