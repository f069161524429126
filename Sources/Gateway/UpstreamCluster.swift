import GatewayCore
import NIOCore
import NIOSSL
import Synchronization

/// One configured upstream: its servers, their passive health, round robin, and a connection pool
/// per event loop.
///
/// Why a pool per event loop: a downstream connection and its upstream connection then live on the
/// same thread, so forwarding a body part is a direct call, never a cross-thread hop or a lock.
final class UpstreamCluster: Sendable {
    /// How long a server that failed to connect is skipped (passive health, like nginx's
    /// `fail_timeout`). Documented in the README.
    static let failTimeout: TimeAmount = .seconds(5)

    let configuration: UpstreamConfiguration
    let servers: [UpstreamServerHealth]
    /// Each server as the access log shows it, rendered once (not per request).
    let serverAddresses: [String]
    /// Each server's `Host` value for routes that do not preserve the client's, rendered once.
    let hostHeaders: [String]
    let tlsContext: NIOSSLContext?
    /// The servers' resolved addresses, shared by the pools of every event loop.
    let addresses: UpstreamAddressBook
    private let roundRobin = Atomic<Int>(0)
    private let pools: [ObjectIdentifier: EventLoopUpstreamPool]

    init(configuration: UpstreamConfiguration, eventLoops: [any EventLoop]) throws {
        self.configuration = configuration
        self.servers = configuration.servers.map { UpstreamServerHealth(server: $0) }
        self.serverAddresses = configuration.servers.map(\.description)
        self.hostHeaders = configuration.servers.map(\.hostHeader)
        self.tlsContext = try TLSContextFactory.upstreamContext(for: configuration)
        self.addresses = UpstreamAddressBook(servers: configuration.servers)
        var pools: [ObjectIdentifier: EventLoopUpstreamPool] = [:]
        for loop in eventLoops {
            let pool = EventLoopUpstreamPool(
                eventLoop: loop,
                configuration: configuration,
                tlsContext: self.tlsContext,
                addresses: self.addresses
            )
            pools[ObjectIdentifier(loop)] = pool
        }
        self.pools = pools
        // Names are looked up now, so the first requests find an address (see the book).
        if let loop = eventLoops.first { self.addresses.resolveAll(on: loop) }
    }

    /// The pool of the given event loop (must be called on it).
    func pool(on eventLoop: any EventLoop) -> EventLoopUpstreamPool? {
        eventLoop.assertInEventLoop()
        return self.pools[ObjectIdentifier(eventLoop)]
    }

    /// Server indexes to try, in order: round robin from the next position, healthy servers only.
    /// Empty when every server is marked down (`no_healthy_upstream`).
    func serversToTry(now: NIODeadline) -> [Int] {
        let count = self.servers.count
        let start = self.roundRobin.wrappingAdd(1, ordering: .relaxed).oldValue
        var order: [Int] = []
        order.reserveCapacity(count)
        for offset in 0..<count {
            let index = (start &+ offset) % count
            let position = index < 0 ? index + count : index
            if self.servers[position].isUp(now: now) { order.append(position) }
        }
        return order
    }

    /// Closes every idle pooled connection (shutdown).
    func closeIdleConnections() {
        for (_, pool) in self.pools {
            pool.eventLoop.execute { pool.closeAll() }
        }
    }
}

/// Passive health of one upstream server.
final class UpstreamServerHealth: Sendable {
    let server: UpstreamServer
    private let downUntil = Atomic<UInt64>(0)

    init(server: UpstreamServer) {
        self.server = server
    }

    func isUp(now: NIODeadline) -> Bool {
        self.downUntil.load(ordering: .relaxed) <= now.uptimeNanoseconds
    }

    func markDown(now: NIODeadline) {
        let until = (now + UpstreamCluster.failTimeout).uptimeNanoseconds
        self.downUntil.store(until, ordering: .relaxed)
    }

    func markUp() {
        if self.downUntil.load(ordering: .relaxed) != 0 {
            self.downUntil.store(0, ordering: .relaxed)
        }
    }
}
