import Hummingbird
import NIOCore

/// The request context of the authorization server: Hummingbird's core storage plus the TCP peer
/// address of the connection the request arrived on.
///
/// Why the peer address: `Client-Cert` / `Client-Cert-Chain` (RFC 9440 §3) may only be believed
/// when the connection comes from the gateway (`[server] trusted_proxies`). The address is taken
/// from the channel, never from a header such as `X-Forwarded-For` that the client controls.
public struct AuthorizationServerRequestContext: RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer, `nil` when the channel has none (closed early, or an in-memory test channel):
    /// a `nil` peer is never trusted.
    public let remoteAddress: SocketAddress?

    /// Creates the context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
