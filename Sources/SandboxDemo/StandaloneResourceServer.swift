import Logging
import ServiceLifecycle

/// The demo accounts API on its own (`ob-sandbox resource-server`), for deployments where the
/// gateway and the authorization server run as separate processes or containers
/// (Docker/compose.yaml): the same ``DemoResourceServer`` `ob-sandbox up` runs in-process.
public struct StandaloneResourceServer: Sendable {
    /// The address to bind (`0.0.0.0` in a container).
    public var host: String
    /// The port to bind; `0` picks a free one.
    public var port: Int
    /// The authorization server's base URL as this process reaches it (its `/jwks` is fetched).
    public var authorizationServerURL: String
    /// The `iss` the access tokens must carry (the authorization server's configured issuer).
    public var issuer: String
    /// The scope a token needs for the accounts API.
    public var requiredScope: String
    /// Credentials for `POST /introspect`, to refuse revoked tokens at once; nil: offline only.
    public var introspection: IntrospectionCredentials?

    /// A server from its settings.
    public init(
        host: String,
        port: Int,
        authorizationServerURL: String,
        issuer: String,
        requiredScope: String = "accounts",
        introspection: IntrospectionCredentials? = nil
    ) {
        self.host = host
        self.port = port
        self.authorizationServerURL = authorizationServerURL
        self.issuer = issuer
        self.requiredScope = requiredScope
        self.introspection = introspection
    }

    /// The API path it serves.
    public static var accountsPath: String { DemoResourceServer.accountsPath }

    /// Serves until SIGTERM or SIGINT (graceful: requests in flight finish); `onListening` gets
    /// the bound port.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let verifier = AccessTokenVerifier(
            authorizationServerURL: self.authorizationServerURL,
            policy: BoundTokenPolicy(issuer: self.issuer, requiredScope: self.requiredScope),
            introspection: self.introspection
        )
        let server = DemoResourceServer(host: self.host, port: self.port, verifier: verifier, logger: logger)
        let announce = Task {
            if let port = try? await server.boundPort {
                onListening(port)
            }
        }
        defer { announce.cancel() }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
