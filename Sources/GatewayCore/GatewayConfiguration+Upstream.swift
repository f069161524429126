import X509

/// TLS towards an upstream (`[upstream.tls]`).
///
/// Without `trust_roots` the I/O layer verifies upstream servers against the system trust store;
/// verification is never disabled. `certificate_chain` + `private_key` make the gateway present
/// a client certificate (mTLS to the upstream); both or neither must be set.
public struct UpstreamTLSConfiguration: Sendable {
    /// `trust_roots`, absolute; empty = the system trust store.
    public var trustRootPaths: [String]
    /// Every certificate of every `trust_roots` file.
    public var trustRoots: [Certificate]
    /// `certificate_chain`, absolute, if the gateway authenticates to the upstream.
    public var certificateChainPath: String?
    /// `private_key`, absolute; set exactly when ``certificateChainPath`` is.
    public var privateKeyPath: String?
    /// The certificates of `certificate_chain` (empty when not set).
    public var certificateChain: [Certificate]
    /// `server_name`: the SNI and verification name to use instead of each server's host.
    public var serverName: String?

    /// Creates a configuration (no validation).
    public init(
        trustRootPaths: [String] = [],
        trustRoots: [Certificate] = [],
        certificateChainPath: String? = nil,
        privateKeyPath: String? = nil,
        certificateChain: [Certificate] = [],
        serverName: String? = nil
    ) {
        self.trustRootPaths = trustRootPaths
        self.trustRoots = trustRoots
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.certificateChain = certificateChain
        self.serverName = serverName
    }
}

/// A pool of backend servers (`[[upstream]]`).
public struct UpstreamConfiguration: Sendable {
    /// `name`: unique among upstreams; routes refer to it.
    public var name: String
    /// `servers`, used round robin; never empty, all of the same scheme.
    public var servers: [UpstreamServer]
    /// `connect_timeout` (TCP + TLS); default 5 s.
    public var connectTimeout: Duration
    /// `response_timeout`: until the response head arrives; default 60 s. A route may override it.
    public var responseTimeout: Duration
    /// `[upstream.tls]`; only allowed when the servers use `https`.
    public var tls: UpstreamTLSConfiguration?
    /// `max_idle_connections`: idle keep-alive connections kept per server; default 64.
    public var maxIdleConnectionsPerServer: Int
    /// `idle_timeout`: an idle pooled connection is closed after this; default 60 s.
    public var idleTimeout: Duration

    /// Creates a configuration (no validation).
    public init(
        name: String,
        servers: [UpstreamServer],
        connectTimeout: Duration = .seconds(5),
        responseTimeout: Duration = .seconds(60),
        tls: UpstreamTLSConfiguration? = nil,
        maxIdleConnectionsPerServer: Int = 64,
        idleTimeout: Duration = .seconds(60)
    ) {
        self.name = name
        self.servers = servers
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.tls = tls
        self.maxIdleConnectionsPerServer = maxIdleConnectionsPerServer
        self.idleTimeout = idleTimeout
    }
}
