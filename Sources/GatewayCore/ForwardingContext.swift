/// What ``HeaderPolicy/prepareUpstreamRequest(_:context:)`` needs to know about this hop.
public struct ForwardingContext: Sendable {
    /// The downstream peer's IP address only (`203.0.113.7`, `::1`).
    public var downstreamAddress: String
    /// Whether the peer is a configured trusted downstream (`[gateway] trusted_downstream`): only
    /// then are its forwarding headers kept and extended.
    public var downstreamIsTrusted: Bool
    /// `https`, or `http` on a plain listener.
    public var scheme: String
    /// The request's `Host` as received, if any.
    public var requestHost: String?
    /// The listener's port.
    public var localPort: Int?
    /// From ``IdentityHeaderBuilder/headers(for:)`` for this connection.
    public var identityHeaders: [(name: String, value: String)]
    /// The id for `X-Request-Id` (the caller decides whether to keep a well-formed inbound one).
    public var requestID: String
    /// `localPort` as text, when the caller keeps it per connection (computed otherwise).
    public var localPortText: String?
    /// This hop's `Forwarded` element (``HeaderPolicy/forwardedElement(_:)``) for this context,
    /// when the caller keeps it per connection and host (computed otherwise).
    public var forwardedElement: String?

    /// Creates a context.
    public init(
        downstreamAddress: String,
        downstreamIsTrusted: Bool,
        scheme: String,
        requestHost: String?,
        localPort: Int?,
        identityHeaders: [(name: String, value: String)],
        requestID: String,
        localPortText: String? = nil,
        forwardedElement: String? = nil
    ) {
        self.downstreamAddress = downstreamAddress
        self.downstreamIsTrusted = downstreamIsTrusted
        self.scheme = scheme
        self.requestHost = requestHost
        self.localPort = localPort
        self.identityHeaders = identityHeaders
        self.requestID = requestID
        self.localPortText = localPortText
        self.forwardedElement = forwardedElement
    }
}
