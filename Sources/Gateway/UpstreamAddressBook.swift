import GatewayCore
import NIOCore
import NIOPosix
import Synchronization

/// The resolved address of each upstream server named by a host name, shared by every event
/// loop's pool: connections go to the last good address, and the name is looked up again in the
/// background, never on a request's path.
///
/// Why: resolving per connection puts the resolver's worst case into `connect_timeout`. glibc
/// waits 5 s for a name server that does not answer before it asks the next one, and container
/// DNS (Podman's aardvark-dns, seen in scripts/container-test.sh) drops queries while it reloads
/// because another container joined the network: a request then failed with 504 although both
/// the gateway and the upstream were up. Envoy (`STRICT_DNS`, `dns_refresh_rate`) and nginx (a
/// name resolved when the configuration loads) keep resolution off the request path too.
///
/// Rules: a literal IP address is used as it is. A name is resolved when the cluster starts and
/// whenever a connection by name succeeds (its peer address is recorded); once the address is
/// older than `refreshInterval`, the next connection still uses it and starts one background
/// look-up that replaces it only on success (a failing resolver keeps the last good address). A
/// failed connection to a recorded address forgets it; when it was refused or unreachable the
/// pool tries the name once more at once (`EventLoopUpstreamPool.connect`: the server may have
/// moved).
final class UpstreamAddressBook: Sendable {
    /// How long a resolved address is used before it is looked up again in the background.
    static let refreshInterval: TimeAmount = .seconds(30)

    /// Resolves a host name to its addresses; blocking (runs on the thread pool).
    typealias Resolve = @Sendable (_ host: String, _ port: Int) throws -> [SocketAddress]

    private struct Entry {
        var address: SocketAddress?
        var resolvedAt: NIODeadline = .uptimeNanoseconds(0)
        var refreshing = false
        /// A literal IP address: never resolved, never forgotten.
        var isLiteral = false
        /// The running (or last) look-up, for tests to await.
        var lookUp: EventLoopFuture<Void>?
    }

    private let servers: [UpstreamServer]
    private let entries: Mutex<[Entry]>
    private let resolve: Resolve
    private let threadPool: NIOThreadPool
    private let refreshInterval: TimeAmount

    init(
        servers: [UpstreamServer],
        refreshInterval: TimeAmount = UpstreamAddressBook.refreshInterval,
        threadPool: NIOThreadPool = .singleton,
        resolve: @escaping Resolve = UpstreamAddressBook.getaddrinfo
    ) {
        self.servers = servers
        self.refreshInterval = refreshInterval
        self.threadPool = threadPool
        self.resolve = resolve
        self.entries = Mutex(
            servers.map { server in
                guard let literal = try? SocketAddress(ipAddress: server.host, port: server.port) else { return Entry() }
                return Entry(address: literal, isLiteral: true)
            }
        )
    }

    /// Starts a look-up of every named server (at start-up, so the first requests do not wait).
    func resolveAll(on eventLoop: any EventLoop) {
        for index in self.servers.indices where self.startRefresh(index, now: .now()) {
            self.refresh(index, on: eventLoop)
        }
    }

    /// The address to connect to, or nil to connect by name; may start a background look-up.
    func address(for index: Int, now: NIODeadline, on eventLoop: any EventLoop) -> SocketAddress? {
        let (address, refresh) = self.entries.withLock { entries -> (SocketAddress?, Bool) in
            let entry = entries[index]
            guard let address = entry.address else { return (nil, false) }
            if entry.isLiteral || entry.refreshing || now - entry.resolvedAt < self.refreshInterval {
                return (address, false)
            }
            entries[index].refreshing = true
            return (address, true)
        }
        if refresh { self.refresh(index, on: eventLoop) }
        return address
    }

    /// A connection by name reached `address`: use it from now on.
    func record(_ address: SocketAddress, for index: Int, now: NIODeadline) {
        self.entries.withLock { entries in
            guard !entries[index].isLiteral else { return }
            entries[index].address = address
            entries[index].resolvedAt = now
        }
    }

    /// A connection to the recorded address failed: the next connection resolves the name again.
    func forget(_ index: Int) {
        self.entries.withLock { entries in
            guard !entries[index].isLiteral else { return }
            entries[index].address = nil
        }
    }

    /// Marks a named server's look-up as started; false if it is a literal or already running.
    private func startRefresh(_ index: Int, now: NIODeadline) -> Bool {
        self.entries.withLock { entries in
            guard !entries[index].isLiteral, !entries[index].refreshing else { return false }
            entries[index].refreshing = true
            return true
        }
    }

    /// The running or last look-up of a server (tests await it).
    func lookUp(_ index: Int) -> EventLoopFuture<Void>? {
        self.entries.withLock { $0[index].lookUp }
    }

    private func refresh(_ index: Int, on eventLoop: any EventLoop) {
        let server = self.servers[index]
        let resolve = self.resolve
        let done = self.threadPool.runIfActive(eventLoop: eventLoop) {
            try resolve(server.host, server.port)
        }.recover { _ in [] }.map { addresses in
            self.entries.withLock { entries in
                entries[index].refreshing = false
                // A failed look-up keeps the last good address (stale beats none). An address
                // still among the answers is kept: a name with an IPv6 and an IPv4 address should
                // not flip to one the server does not listen on every 30 s.
                guard let first = addresses.first else { return }
                if let current = entries[index].address, addresses.contains(current) {
                    entries[index].resolvedAt = .now()
                } else {
                    entries[index].address = first
                    entries[index].resolvedAt = .now()
                }
            }
        }
        self.entries.withLock { $0[index].lookUp = done }
    }

    /// Every TCP address of `host` (getaddrinfo, in its order).
    static func getaddrinfo(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Self.streamSocketType
        var list: UnsafeMutablePointer<addrinfo>?
        guard Self.systemGetaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw SocketAddressError.unknown(host: host, port: port)
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let raw = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    addresses.append(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                case AF_INET6:
                    addresses.append(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                default:
                    break
                }
            }
            cursor = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw SocketAddressError.unknown(host: host, port: port) }
        return addresses
    }

    #if canImport(Glibc)
    private static let streamSocketType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamSocketType = SOCK_STREAM
    #endif
    /// The C library's getaddrinfo (the static method above shadows the bare name).
    private static func systemGetaddrinfo(
        _ host: String,
        _ service: String,
        _ hints: UnsafePointer<addrinfo>,
        _ result: UnsafeMutablePointer<UnsafeMutablePointer<addrinfo>?>
    ) -> Int32 {
        #if canImport(Glibc)
        Glibc.getaddrinfo(host, service, hints, result)
        #elseif canImport(Musl)
        Musl.getaddrinfo(host, service, hints, result)
        #else
        Darwin.getaddrinfo(host, service, hints, result)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
