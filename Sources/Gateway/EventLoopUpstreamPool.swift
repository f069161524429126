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
    /// When it was last returned to the pool (for the idle timeout).
    var idleSince = NIODeadline.uptimeNanoseconds(0)

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
    /// Per server, oldest first (so expired connections are at the front).
    private var idle: [[UpstreamConnection]]
    /// Closes connections idle longer than `idle_timeout`: one sweep for the whole pool, not a
    /// timer per connection armed and cancelled on every request (see `DeadlineTimer`).
    private var sweepTimer: DeadlineTimer?

    /// The servers' resolved addresses (shared by the cluster's pools).
    let addresses: UpstreamAddressBook

    init(eventLoop: any EventLoop, configuration: UpstreamConfiguration, tlsContext: NIOSSLContext?, addresses: UpstreamAddressBook) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.addresses = addresses
        self.idle = Array(repeating: [], count: configuration.servers.count)
    }

    /// An idle connection to the server, most recently used first (warm TCP and TLS state).
    func takeIdle(serverIndex: Int) -> UpstreamConnection? {
        while let connection = self.idle[serverIndex].popLast() {
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
    ///
    /// The address is the last good one when there is one (`UpstreamAddressBook`: no resolver on
    /// the request path); else the name is resolved and the address reached is recorded. When the
    /// last good address refuses or cannot be reached at once, the server may have moved (a
    /// restarted container gets a new address): the address is forgotten and the name tried once
    /// more for this request. Not after a timeout (that would double the wait) or a TLS failure.
    func connect(serverIndex: Int) -> EventLoopFuture<UpstreamConnection> {
        let server = self.configuration.servers[serverIndex]
        let addresses = self.addresses
        let byName: @Sendable () -> EventLoopFuture<any Channel> = {
            self.attempt(serverIndex: serverIndex) { $0.connect(host: server.host, port: server.port) }.map { channel in
                if let remote = channel.remoteAddress { addresses.record(remote, for: serverIndex, now: .now()) }
                return channel
            }
        }
        let connected: EventLoopFuture<any Channel>
        if let cached = addresses.address(for: serverIndex, now: .now(), on: self.eventLoop) {
            connected = self.attempt(serverIndex: serverIndex) { $0.connect(to: cached) }.flatMapError { error in
                addresses.forget(serverIndex)
                return Self.mayHaveMoved(error) ? byName() : self.eventLoop.makeFailedFuture(error)
            }
        } else {
            connected = byName()
        }
        return connected.flatMapThrowing { channel in
            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            return UpstreamConnection(channel: channel, handler: handler, serverIndex: serverIndex)
        }
    }

    /// Whether a failed connection to a recorded address says the address is wrong (refused,
    /// unreachable), rather than that the server is slow (timeout) or untrusted (TLS).
    static func mayHaveMoved(_ error: any Error) -> Bool {
        // A connection to one address fails with the socket's errno (`IOError`).
        guard let error = error as? IOError else { return false }
        return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
    }

    /// One connection attempt with its own pipeline and handshake wait (`open` picks the target).
    private func attempt(
        serverIndex: Int,
        open: (ClientBootstrap) -> EventLoopFuture<any Channel>
    ) -> EventLoopFuture<any Channel> {
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
                    // No NIO outbound header check: it re-scans every header byte of every upstream
                    // request (~7% of the proxy's CPU, most of it the identity headers' base64).
                    // It is redundant here: `HeaderPolicy` rejects the same bytes (CTLs other than
                    // HTAB, DEL; RFC 9110 §5.5) in inbound values, inbound names are tokens by the
                    // parser, and the gateway's own headers are built from constants and escaped
                    // certificate fields (`IdentityHeaderBuilder`, `IdentityHeaderBlock`).
                    let encoder = UpstreamRequestEncoder()
                    try sync.addHandler(encoder)
                    try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .fireError)))
                    let handler = UpstreamHandler(encoder: encoder)
                    handler.handshakePromise = handshake
                    try sync.addHandler(handler)
                }
            }
        var connected = open(bootstrap)
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
        return connected
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
        connection.idleSince = .now()
        if connection.handler.onClose == nil {
            // Set once per connection: a close while in use is harmless (not in `idle`).
            // The handler, not the connection, identifies it: no weak reference to the
            // connection (see `UpstreamHandler.receiver` on side tables).
            let serverIndex = connection.serverIndex
            connection.handler.onClose = { [weak self] handler in
                self?.remove(handler, serverIndex: serverIndex)
            }
        }
        self.idle[connection.serverIndex].append(connection)
        let sweep = self.sweepTimer ?? self.makeSweepTimer()
        if !sweep.isArmed {
            sweep.arm(at: connection.idleSince + TimeAmount(self.configuration.idleTimeout))
        }
    }

    private func makeSweepTimer() -> DeadlineTimer {
        let timer = DeadlineTimer(eventLoop: self.eventLoop) { [weak self] in self?.closeExpired() }
        self.sweepTimer = timer
        return timer
    }

    /// Closes the connections idle for `idle_timeout` or longer; re-arms for the oldest left.
    private func closeExpired() {
        let timeout = TimeAmount(self.configuration.idleTimeout)
        let now = NIODeadline.now()
        var oldest: NIODeadline?
        for index in self.idle.indices {
            let expired = self.idle[index].prefix { $0.idleSince + timeout <= now }
            self.idle[index].removeFirst(expired.count)
            for connection in expired {
                connection.channel.close(promise: nil)
            }
            if let first = self.idle[index].first {
                oldest = min(oldest ?? first.idleSince, first.idleSince)
            }
        }
        if let oldest {
            self.sweepTimer?.arm(at: oldest + timeout)
        }
    }

    /// Closes every idle connection.
    func closeAll() {
        let all = self.idle.flatMap { $0 }
        self.idle = Array(repeating: [], count: self.idle.count)
        self.sweepTimer?.cancel()
        for connection in all {
            connection.channel.close(promise: nil)
        }
    }

    private func remove(_ handler: UpstreamHandler, serverIndex: Int) {
        self.idle[serverIndex].removeAll { $0.handler === handler }
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
