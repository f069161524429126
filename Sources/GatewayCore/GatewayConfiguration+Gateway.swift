/// Where access-log lines go (`[gateway] access_log`).
public enum AccessLogDestination: Sendable, Hashable {
    /// Standard output (`access_log = "stdout"`).
    case stdout
    /// Appended to a file; the path is absolute. The I/O layer creates missing parent folders.
    case file(path: String)
}

/// The access-log line format (`[gateway] access_log_format`).
public enum AccessLogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line.
    case json
    /// The Apache/nginx "combined" format.
    case combined
}

/// Process-wide settings (`[gateway]`).
public struct GatewaySettings: Sendable {
    /// `access_log`; default `stdout`.
    public var accessLog: AccessLogDestination
    /// `access_log_format`; default `json`.
    public var accessLogFormat: AccessLogFormat
    /// `drain_timeout`: how long in-flight requests may finish after a shutdown signal; default 10 s.
    public var drainTimeout: Duration
    /// `max_header_size` in bytes: request line plus headers; larger requests get 431. Default 32 KiB.
    public var maxHeaderSize: Int
    /// `handshake_timeout`: the TLS handshake must finish within this; default 10 s.
    public var handshakeTimeout: Duration
    /// `request_header_timeout`: a request's head must arrive within this (slowloris); default 10 s.
    public var requestHeaderTimeout: Duration
    /// `idle_timeout`: an idle downstream keep-alive connection is closed after this; default 60 s.
    public var idleTimeout: Duration
    /// `max_connections`: concurrent downstream connections over all listeners; default 10000.
    public var maxConnections: Int
    /// `trusted_downstream`: peers whose `X-Forwarded-For` / `Forwarded` headers are appended to
    /// rather than replaced; default none.
    public var trustedDownstream: [CIDR]

    /// Creates settings; every parameter defaults to the documented default.
    public init(
        accessLog: AccessLogDestination = .stdout,
        accessLogFormat: AccessLogFormat = .json,
        drainTimeout: Duration = .seconds(10),
        maxHeaderSize: Int = 32 * 1024,
        handshakeTimeout: Duration = .seconds(10),
        requestHeaderTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        maxConnections: Int = 10_000,
        trustedDownstream: [CIDR] = []
    ) {
        self.accessLog = accessLog
        self.accessLogFormat = accessLogFormat
        self.drainTimeout = drainTimeout
        self.maxHeaderSize = maxHeaderSize
        self.handshakeTimeout = handshakeTimeout
        self.requestHeaderTimeout = requestHeaderTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.trustedDownstream = trustedDownstream
    }
}

/// The admin endpoint (`[admin]`): health, readiness and metrics over plain HTTP. Bind it to
/// loopback or a management network only.
public struct AdminSettings: Sendable {
    /// `address`.
    public var address: SocketAddressSpec

    /// Creates settings.
    public init(address: SocketAddressSpec) {
        self.address = address
    }
}
