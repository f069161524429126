import GatewayCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A connection to an upstream server, confined to one event loop.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let serverIndex: Int
    /// Requests served so far (0 for a fresh connection): a reused connection may have been closed
    /// by the server meanwhile, which makes a failed request safe to retry once.
    var requestsServed = 0
    var idleTimer: Scheduled<Void>?

    init(channel: any Channel, handler: UpstreamHandler, serverIndex: Int) {
        self.channel = channel
        self.handler = handler
        self.serverIndex = serverIndex
    }
}

/// Idle keep-alive connections of one upstream on one event loop.
///
/// Only ever touched on `eventLoop`, so it needs no locks. `@unchecked Sendable` because the
/// cluster creates every pool up front, off the loop: after that, `UpstreamCluster.pool(on:)`
/// (which asserts it runs on the loop) is the only way to reach a pool, and `closeAll` is
/// scheduled onto the pool's own loop.
final class EventLoopUpstreamPool: @unchecked Sendable {
    let eventLoop: any EventLoop
    let configuration: UpstreamConfiguration
    let tlsContext: NIOSSLContext?
    private var idle: [[UpstreamConnection]]

    init(eventLoop: any EventLoop, configuration: UpstreamConfiguration, tlsContext: NIOSSLContext?) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.idle = Array(repeating: [], count: configuration.servers.count)
    }

    /// An idle connection to the server, most recently used first (warm TCP and TLS state).
    func takeIdle(serverIndex: Int) -> UpstreamConnection? {
        while let connection = self.idle[serverIndex].popLast() {
            connection.idleTimer?.cancel()
            connection.idleTimer = nil
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    /// Opens a new connection to the server; for an https server the future succeeds only once the
    /// TLS handshake (and so the server's certificate check, RFC 8446 §4.4.2) has succeeded.
    ///
    /// Why wait for the handshake: an untrusted or misconfigured upstream must fail as
    /// `upstream_connect_failed` (and count against the server's health) before any request byte
    /// is written, and `connect_timeout` covers TCP and TLS together, as documented.
    func connect(serverIndex: Int) -> EventLoopFuture<UpstreamConnection> {
        let server = self.configuration.servers[serverIndex]
        let tlsContext = server.scheme == .https ? self.tlsContext : nil
        let serverName = self.configuration.tls?.serverName ?? server.host
        let timeout = TimeAmount(self.configuration.connectTimeout)
        let deadline = NIODeadline.now() + timeout
        let handshake = tlsContext.map { _ in self.eventLoop.makePromise(of: Void.self) }
        let bootstrap = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(timeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        let sni = serverName.isIPAddress ? nil : serverName
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: sni))
                    }
                    try sync.addHTTPClientHandlers(leftOverBytesStrategy: .fireError)
                    let handler = UpstreamHandler()
                    handler.handshakePromise = handshake
                    try sync.addHandler(handler)
                }
            }
        var connected = bootstrap.connect(host: server.host, port: server.port)
        if let handshake {
            connected.whenFailure { handshake.fail($0) }
            let timer = self.eventLoop.scheduleTask(deadline: deadline) {
                handshake.fail(ChannelError.connectTimeout(timeout))
            }
            connected = connected.flatMap { channel in
                handshake.futureResult.map { channel }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }.always { _ in timer.cancel() }
        }
        return connected.flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            return UpstreamConnection(channel: channel, handler: handler, serverIndex: serverIndex)
        }
    }

    /// Returns a connection after a complete exchange; keeps it for reuse if there is room.
    func release(_ connection: UpstreamConnection) {
        connection.handler.receiver = nil
        connection.handler.resumeReading()
        guard connection.channel.isActive,
            self.idle[connection.serverIndex].count < self.configuration.maxIdleConnectionsPerServer
        else {
            connection.channel.close(promise: nil)
            return
        }
        connection.requestsServed += 1
        connection.idleTimer = self.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(self.configuration.idleTimeout)) {
            [weak self, weak connection] in
            guard let self, let connection else { return }
            self.remove(connection)
            connection.channel.close(promise: nil)
        }
        connection.handler.onClose = { [weak self, weak connection] in
            guard let self, let connection else { return }
            connection.idleTimer?.cancel()
            connection.idleTimer = nil
            self.remove(connection)
        }
        self.idle[connection.serverIndex].append(connection)
    }

    /// Closes every idle connection.
    func closeAll() {
        let all = self.idle.flatMap { $0 }
        self.idle = Array(repeating: [], count: self.idle.count)
        for connection in all {
            connection.idleTimer?.cancel()
            connection.channel.close(promise: nil)
        }
    }

    private func remove(_ connection: UpstreamConnection) {
        self.idle[connection.serverIndex].removeAll { $0 === connection }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension String {
    /// Whether this is an IPv4 or IPv6 literal (no SNI for those, RFC 6066 §3).
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
