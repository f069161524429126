import Foundation
import GatewayCore
import Hummingbird
import Logging
import ServiceLifecycle

/// The authorization server, ready to run: its long-lived services in start order.
///
/// `main` (and the live tests) put ``services`` into one `ServiceGroup`, together with the client
/// store's service, which must start first (code-style.md habit 9: every long-lived thing is a
/// `Service`; `main` only wires the group). Shutting the group down stops the listener, then the
/// replay-cache purge, then the JWKS HTTP clients.
public struct AuthorizationServerApplication: Sendable {
    /// Services in start order: the JWKS HTTP clients, the expiry purge, the HTTP listener.
    public var services: [any Service]
    /// Resolved once the listener is bound (or failed).
    let listener: BoundPortPromise

    /// The port the HTTP listener bound; waits until it is listening. Tests bind port 0 and ask.
    ///
    /// - Throws: the listener's error when it could not bind, or ``ListenerStopped`` when it stopped
    ///   before binding.
    public func boundPort() async throws -> Int {
        try await self.listener.value()
    }
}

/// Builds the authorization server for `configuration` over `store`.
///
/// Wires the JWKS fetcher (one HTTP client per directory, trusting that directory's roots), the
/// token issuer, the identity resolver and every endpoint of issue 3 on a Hummingbird router, and
/// binds `[server] address` when run.
///
/// - Throws: when the directory trust roots or the token-signing key cannot be used.
public func buildAuthorizationServer(
    configuration: AuthorizationServerConfiguration,
    store: any ClientStore,
    logger: Logger
) async throws -> AuthorizationServerApplication {
    let trustRoots = Dictionary(
        configuration.directories.map { ($0.name, $0.trustRoots) },
        uniquingKeysWith: { first, _ in first }
    )
    let transport = try HTTPJWKSTransport(trustRoots: trustRoots, logger: logger)
    let fetcher = JWKSFetcher(transport: transport, logger: logger)
    let dependencies = try EndpointDependencies(configuration: configuration, store: store, fetcher: fetcher)
    let router = AuthorizationServerApplication.makeRouter(
        dependencies,
        context: AuthorizationServerRequestContext.self
    )
    let listener = BoundPortPromise()
    let address = configuration.server.address
    let application = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port)),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? address.port
            logger.info("authorization server listening", metadata: ["address": "\(address.host):\(port)"])
            await listener.resolve(.success(port))
        },
        logger: logger
    )
    return AuthorizationServerApplication(
        services: [
            transport,
            ExpiryPurgeService(store: store, logger: logger),
            HTTPListenerService(application: application, listener: listener),
        ],
        listener: listener
    )
}
