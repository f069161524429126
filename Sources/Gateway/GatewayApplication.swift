import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Everything a validated configuration turns into: the services a `ServiceGroup` runs.
///
/// `main` and the tests call `buildGateway`; nothing here reads files other than the TLS
/// material the configuration names (already validated at load time).
public struct GatewayApplication: Sendable {
    /// The proxy (listeners, drain).
    public let gateway: GatewayService
    /// The access-log writer.
    public let accessLog: AccessLogWriter
    /// Metrics shared by the proxy and the admin listener.
    public let metrics: GatewayMetrics
    /// The admin listener, when configured.
    public let admin: AdminServer?

    /// The services in start order; a `ServiceGroup` shuts them down in reverse: the proxy drains
    /// first, then the admin listener stops, then the access log flushes.
    public var services: [any Service] {
        var services: [any Service] = [self.accessLog]
        if let admin = self.admin { services.append(admin) }
        services.append(self.gateway)
        return services
    }
}

/// Builds the gateway for a validated configuration.
public func buildGateway(
    configuration: GatewayConfiguration,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "mtls-gateway")
) throws -> GatewayApplication {
    let metrics = GatewayMetrics()
    let accessLog = AccessLogWriter(
        destination: configuration.gateway.accessLog,
        format: configuration.gateway.accessLogFormat,
        logger: logger
    )
    let loops = Array(group.makeIterator())
    var clusters: [String: UpstreamCluster] = [:]
    for upstream in configuration.upstreams {
        clusters[upstream.name] = try UpstreamCluster(configuration: upstream, eventLoops: loops)
    }
    let connections = ConnectionRegistry(limit: configuration.gateway.maxConnections)
    let listeners = try configuration.listeners.map {
        try ListenerContext(
            listener: $0,
            configuration: configuration,
            clusters: clusters,
            accessLog: accessLog,
            metrics: metrics,
            connections: connections,
            logger: logger
        )
    }
    let readiness = Readiness()
    let gateway = GatewayService(
        configuration: configuration,
        listeners: listeners,
        connections: connections,
        clusters: clusters,
        readiness: readiness,
        group: group,
        logger: logger
    )
    let admin = configuration.admin.map {
        AdminServer(
            host: $0.address.host,
            port: $0.address.port,
            metrics: metrics,
            readiness: readiness,
            group: group,
            logger: logger
        )
    }
    return GatewayApplication(gateway: gateway, accessLog: accessLog, metrics: metrics, admin: admin)
}
