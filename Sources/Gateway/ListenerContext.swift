import GatewayCore
import Logging
import MTLSIdentity
import NIOCore
import NIOSSL

/// Everything a downstream connection on one listener needs, built once at start-up and shared
/// (read-only) by all its connections.
final class ListenerContext: Sendable {
    let listener: ListenerConfiguration
    let settings: GatewaySettings
    let sslContext: NIOSSLContext
    let validator: ClientCertificateValidator
    let routes: RouteTable
    let identityHeaderBuilder: IdentityHeaderBuilder
    /// The identity headers of a connection without a certificate, as wire bytes.
    let anonymousIdentityHeaderBlock: [UInt8]
    /// Connection identities shared by the connections that present the same validated chain.
    let identities: ConnectionIdentityCache
    let clusters: [String: UpstreamCluster]
    let accessLog: AccessLogWriter
    let metrics: GatewayMetrics
    /// Shared by all listeners: `max_connections` bounds them together.
    let connections: ConnectionRegistry
    let logger: Logger

    init(
        listener: ListenerConfiguration,
        configuration: GatewayConfiguration,
        clusters: [String: UpstreamCluster],
        accessLog: AccessLogWriter,
        metrics: GatewayMetrics,
        connections: ConnectionRegistry,
        logger: Logger
    ) throws {
        self.listener = listener
        self.settings = configuration.gateway
        self.sslContext = try TLSContextFactory.serverContext(for: listener)
        self.validator = ClientCertificateValidator(
            trustRoots: listener.trustRoots,
            intermediates: listener.intermediates,
            maxChainDepth: listener.maxChainDepth
        )
        self.routes = RouteTable(routes: configuration.routes)
        self.identityHeaderBuilder = IdentityHeaderBuilder(
            profiles: configuration.identityHeaders.forward,
            dnFormat: configuration.identityHeaders.dnFormat
        )
        self.anonymousIdentityHeaderBlock = IdentityHeaderBlock.serialize(self.identityHeaderBuilder.headers(for: nil))
        self.identities = ConnectionIdentityCache(builder: self.identityHeaderBuilder)
        self.clusters = clusters
        self.accessLog = accessLog
        self.metrics = metrics
        self.connections = connections
        self.logger = logger
    }

    /// Whether a route demands a certificate on this listener: the route's own setting, else what
    /// the listener demands (`required` → required; `optional`/`none` → optional).
    func requiresCertificate(_ route: RouteConfiguration) -> Bool {
        switch route.clientCertificate {
        case .required: return true
        case .optional: return false
        case nil: return self.listener.clientCertificate == .required
        }
    }

    /// Whether the downstream peer may extend the forwarding headers (`trusted_downstream`).
    func isTrustedDownstream(ip: String) -> Bool {
        self.settings.trustedDownstream.contains { $0.contains(ipAddress: ip) }
    }
}
