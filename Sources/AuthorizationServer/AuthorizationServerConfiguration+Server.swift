import GatewayCore

/// `[server]`: where the server listens and how clients see it.
public struct ServerSettings: Sendable, Hashable {
    /// The default request-body limit (issue 3: 64 KiB). A registration request JWT with its SSA is
    /// a few KiB; anything much larger is an attack on the parser.
    public static let defaultMaxBodySize = 64 * 1024

    /// `address`: the plain-HTTP listening address (behind `mtls-gateway`); port 0 = any free port.
    public var address: SocketAddressSpec
    /// `issuer`: the public base URL clients see through the gateway, without a trailing slash;
    /// the `iss` of tokens and the base of every advertised endpoint.
    public var issuer: String
    /// `trusted_proxies`: peers whose RFC 9440 identity headers are believed.
    ///
    /// Why: the certificate reaches this server only as `Client-Cert` headers. Anyone who can
    /// connect directly could forge them, so they are accepted only from the gateway's addresses
    /// (RFC 9440 §4: the origin must trust the proxy, not the header).
    public var trustedProxies: [CIDR]
    /// `authorization_endpoint`: advertised in discovery only when set.
    public var authorizationEndpoint: String?
    /// `mtls_base_url`: base URL of the certificate-bound endpoints for `mtls_endpoint_aliases`
    /// (RFC 8705 §5), without a trailing slash.
    public var mtlsBaseURL: String?
    /// `max_body_size`: request bodies larger than this are refused with 413.
    public var maxBodySize: Int

    /// Creates settings.
    public init(
        address: SocketAddressSpec,
        issuer: String,
        trustedProxies: [CIDR] = [],
        authorizationEndpoint: String? = nil,
        mtlsBaseURL: String? = nil,
        maxBodySize: Int = ServerSettings.defaultMaxBodySize
    ) {
        self.address = address
        self.issuer = issuer
        self.trustedProxies = trustedProxies
        self.authorizationEndpoint = authorizationEndpoint
        self.mtlsBaseURL = mtlsBaseURL
        self.maxBodySize = maxBodySize
    }

    /// Whether identity headers from a peer at `ipAddress` may be believed.
    public func trustsProxy(ipAddress: String) -> Bool {
        self.trustedProxies.contains(where: { $0.contains(ipAddress: ipAddress) })
    }
}
