import GatewayCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The proxy as a `Service`: binds every listener, serves until graceful shutdown, then drains.
///
/// Drain (SIGTERM/SIGINT through the `ServiceGroup`): `/readyz` turns 503, listeners stop
/// accepting, idle connections close, in-flight requests finish (their responses say
/// `Connection: close`) for up to `drain_timeout`, then whatever is left is closed.
public final class GatewayService: Service, Sendable {
    public let configuration: GatewayConfiguration
    public let readiness: Readiness
    let listeners: [ListenerContext]
    let connections: ConnectionRegistry
    let clusters: [String: UpstreamCluster]
    let group: any EventLoopGroup
    let logger: Logger
    private let bound: EventLoopPromise<[String: SocketAddress]>
    private let boundOnce = Mutex(false)

    init(
        configuration: GatewayConfiguration,
        listeners: [ListenerContext],
        connections: ConnectionRegistry,
        clusters: [String: UpstreamCluster],
        readiness: Readiness,
        group: any EventLoopGroup,
        logger: Logger
    ) {
        self.configuration = configuration
        self.listeners = listeners
        self.connections = connections
        self.clusters = clusters
        self.readiness = readiness
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: [String: SocketAddress].self)
    }

    /// The address each listener is bound to, by listener name, once `run()` has bound them all
    /// (tests bind port 0 and learn the port here).
    public func listeningAddresses() async throws -> [String: SocketAddress] {
        try await self.bound.futureResult.get()
    }

    /// Binds, serves, drains.
    public func run() async throws {
        var channels: [any Channel] = []
        do {
            var addresses: [String: SocketAddress] = [:]
            for listener in self.listeners {
                let channel: any Channel
                do {
                    channel = try await ListenerBinding.bind(listener, group: self.group)
                } catch {
                    // Name the listener: NIO's error alone ("Address already in use") does not say which.
                    self.logger.error(
                        "cannot bind listener",
                        metadata: ["listener": "\(listener.listener.name)", "address": "\(listener.listener.address)", "error": "\(error)"]
                    )
                    throw error
                }
                channels.append(channel)
                addresses[listener.listener.name] = channel.localAddress
                self.logger.info(
                    "listening",
                    metadata: ["listener": "\(listener.listener.name)", "address": "\(channel.localAddress.map { "\($0)" } ?? "-")"]
                )
            }
            self.bound.succeed(addresses)
        } catch {
            self.bound.fail(error)
            for channel in channels { try? await channel.close() }
            throw error
        }

        // Serve until asked to stop; a plain cancellation skips the drain.
        do {
            try await gracefulShutdown()
        } catch {
            for channel in channels { try? await channel.close() }
            self.connections.closeAll()
            return
        }
        await self.drain(channels)
    }

    private func drain(_ channels: [any Channel]) async {
        self.readiness.markDraining()
        self.logger.info("draining", metadata: ["open_connections": "\(self.connections.count)"])
        for channel in channels { try? await channel.close() }
        self.connections.quiesceAll()
        let loop = self.group.next()
        let allClosed = self.connections.waitUntilEmpty(on: loop)
        let timeout = TimeAmount(self.configuration.gateway.drainTimeout)
        let connections = self.connections
        let timer = loop.scheduleTask(in: timeout) {
            connections.closeAll()
        }
        try? await allClosed.get()
        timer.cancel()
        for cluster in self.clusters.values { cluster.closeIdleConnections() }
        self.logger.info("drained")
    }
}
