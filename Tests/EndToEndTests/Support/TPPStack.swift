import Foundation

/// The three executables a real deployment runs, each as its own process on ports bound to 0:
/// `ob-sandbox directory serve` (HTTPS JWKS), `authorization-server run` (SQLite, behind the
/// gateway) and `mtls-gateway run`, with configurations generated into the workspace; plus the
/// `ob-sandbox tpp …` commands against them.
final class TPPStack: Sendable {
    /// The sandbox ids of the PKI's TPP (its legacy transport certificate's OU and CN).
    static let orgID = "0015800001041REAAY"
    static let softwareID = "2ZVHy1MEB0Ar8ov2lgcsMM"
    /// The authorization server's issuer (`iss` of its tokens).
    static let issuer = "https://gateway.e2e.test"
    /// The resource server's introspection credentials (a test value, not a key): the AS stores
    /// the secret's SHA-256 (`printf %s SECRET | sha256sum`).
    static let introspectionName = "resource-server"
    static let introspectionSecret = "e2e-introspection-secret"
    static let introspectionSecretSHA256 = "cab68109ddecef1547a9e6940129cbe5a3ead1659357f69c5790a18cccb4bc4d"

    let workspace: Workspace
    let directory: RunningProcess
    let authorizationServer: RunningProcess
    let gateway: RunningProcess
    let directoryPort: Int
    let authorizationServerPort: Int
    let gatewayPort: Int

    private init(
        workspace: Workspace,
        directory: RunningProcess,
        authorizationServer: RunningProcess,
        gateway: RunningProcess,
        directoryPort: Int,
        authorizationServerPort: Int,
        gatewayPort: Int
    ) {
        self.workspace = workspace
        self.directory = directory
        self.authorizationServer = authorizationServer
        self.gateway = gateway
        self.directoryPort = directoryPort
        self.authorizationServerPort = authorizationServerPort
        self.gatewayPort = gatewayPort
    }

    /// Starts the stack in a new workspace, runs `body`, and always stops it (gateway first, so
    /// its access log is complete when `body`'s checks of it run after ``stopGateway()``).
    static func with<T: Sendable>(_ label: String, _ body: (TPPStack) async throws -> T) async throws -> T {
        let workspace = try Workspace.make(label)
        var started: [RunningProcess] = []
        do {
            _ = try await SharedPKI.copy(into: workspace)
            try FileManager.default.createDirectory(atPath: workspace.file("logs"), withIntermediateDirectories: true)
            let directory = try RunningProcess(
                Executables.obSandbox,
                ["directory", "serve", "--port", "0", "--pki", "pki"],
                in: workspace.path
            )
            started.append(directory)
            let directoryPort = try await directory.waitForPort("listening on https://localhost:[0-9]+", in: .stdout)

            try workspace.write(Self.authorizationServerConfiguration(directoryPort: directoryPort), to: "as.conf")
            let authorizationServer = try RunningProcess(
                Executables.authorizationServer,
                ["run", "--config", "as.conf"],
                in: workspace.path
            )
            started.append(authorizationServer)
            let asPort = try await authorizationServer.waitForPort(
                "address=127\\.0\\.0\\.1:[0-9]+",
                in: .stderr
            )

            try workspace.write(Self.gatewayConfiguration(authorizationServerPort: asPort), to: "gateway.conf")
            let gateway = try RunningProcess(Executables.gateway, ["run", "--config", "gateway.conf"], in: workspace.path)
            started.append(gateway)
            let gatewayPort = try await gateway.waitForPort("127\\.0\\.0\\.1:[0-9]+(?= listener=mtls)", in: .stderr)

            let stack = TPPStack(
                workspace: workspace,
                directory: directory,
                authorizationServer: authorizationServer,
                gateway: gateway,
                directoryPort: directoryPort,
                authorizationServerPort: asPort,
                gatewayPort: gatewayPort
            )
            let result = try await body(stack)
            for process in started.reversed() {
                _ = await process.terminate()
            }
            workspace.remove()
            return result
        } catch {
            for process in started.reversed() {
                _ = await process.terminate()
            }
            workspace.remove()
            throw error
        }
    }

    /// `ob-sandbox tpp <command> --gateway … --pki pki <arguments>`.
    func tpp(_ command: String, _ arguments: [String]) async throws -> Executables.Result {
        try await Executables.obSandbox(
            ["tpp", command, "--gateway", "https://localhost:\(self.gatewayPort)", "--pki", "pki"] + arguments,
            in: self.workspace.path
        )
    }

    /// A fresh SSA in `ssa.jwt`, pointing at this stack's directory.
    func createSoftwareStatement() async throws -> Executables.Result {
        try await Executables.obSandbox(
            ["ssa", "create", "--pki", "pki", "--jwks-base-url", "https://localhost:\(self.directoryPort)", "--out", "ssa.jwt"],
            in: self.workspace.path
        )
    }

    /// Stops the gateway (SIGTERM: it drains and flushes its access log) and returns its status.
    func stopGateway() async -> Int32 {
        await self.gateway.terminate()
    }

    /// The gateway's access log, one parsed JSON object per line.
    var accessLog: [[String: Any]] {
        self.workspace.read("logs/access.log").split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    static func authorizationServerConfiguration(directoryPort: Int) -> String {
        """
        [server]
        address = "127.0.0.1:0"
        issuer = "\(Self.issuer)"
        trusted_proxies = ["127.0.0.1/32"]

        [database]
        url = "sqlite:data/as.sqlite"

        [registration]
        audience = ["0015800001041REAAY"]
        token_endpoint_auth_methods = ["tls_client_auth", "private_key_jwt"]
        transport_trust_roots = ["pki/root-ca.pem"]
        transport_intermediates = ["pki/issuing-ca.pem"]

        [[directory]]
        name = "OpenBankingSandbox"
        issuer = "OpenBanking Ltd"
        jwks = "https://localhost:\(directoryPort)/keystore/openbanking.jwks"
        trust_roots = ["pki/root-ca.pem"]

        [tokens]
        signing_key = "pki/as-signing.key"
        access_token_lifetime = "10m"

        [introspection]
        credentials = ["\(Self.introspectionName):\(Self.introspectionSecretSHA256)"]

        """
    }

    static func gatewayConfiguration(authorizationServerPort: Int) -> String {
        """
        [gateway]
        access_log = "logs/access.log"
        access_log_format = "json"
        drain_timeout = "5s"

        [[listener]]
        name = "mtls"
        address = "127.0.0.1:0"
        certificate_chain = "pki/server-chain.pem"
        private_key = "pki/server.key"
        client_certificate = "optional"
        trust_roots = ["pki/root-ca.pem"]
        intermediates = ["pki/issuing-ca.pem"]

        [identity_headers]
        forward = ["rfc9440", "derived"]

        [[upstream]]
        name = "authorization-server"
        servers = ["http://127.0.0.1:\(authorizationServerPort)"]

        [[route]]
        name = "registration"
        path_prefix = "/register"
        methods = ["POST", "GET", "PUT", "DELETE"]
        upstream = "authorization-server"
        client_certificate = "required"

        [[route]]
        name = "token"
        path_prefix = "/token"
        methods = ["POST"]
        upstream = "authorization-server"
        client_certificate = "required"

        """
    }
}
