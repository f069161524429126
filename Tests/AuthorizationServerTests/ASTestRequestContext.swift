import Hummingbird
import NIOCore

/// The router tests' request context: Hummingbird's in-memory test channel has no peer address, so
/// the peer comes from a task-local (loopback, a trusted proxy, unless a test says otherwise).
/// Production code never sees this type.
struct ASTestRequestContext: RemoteAddressRequestContext {
    /// The TCP peer the next requests appear to come from.
    @TaskLocal static var peer: SocketAddress? = try? SocketAddress(ipAddress: "127.0.0.1", port: 50_000)

    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = Self.peer
    }
}
