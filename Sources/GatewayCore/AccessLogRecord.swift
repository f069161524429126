import Foundation

/// One proxied request: the fields of the access-log contract, in the order they are written.
///
/// Why the field list is closed: the access log leaves the gateway (log shippers, SIEMs, support
/// tickets), so it must never carry credentials. The record deliberately has no field for PEMs,
/// private keys, `Authorization`, `Cookie` or any other request header value except the optional
/// `Referer` / `User-Agent` used by the Apache `combined` format. Keep it that way: add a field only
/// if its value can never be a secret.
public struct AccessLogRecord: Sendable, Hashable {
    /// When the request started; rendered as RFC 3339 UTC with milliseconds
    /// (`2026-11-30T10:38:08.123Z`).
    public var time: Date
    /// The request id the gateway assigned (and forwarded upstream).
    public var requestID: String
    /// The downstream peer as `ip:port`, or `[v6]:port` for IPv6.
    public var downstreamAddress: String
    /// The TLS server name the client asked for, if any.
    public var sni: String?
    /// The negotiated protocol version, e.g. `TLSv1.3`.
    public var tlsVersion: String?
    /// Whether the TLS session was resumed.
    public var tlsResumed: Bool
    /// `SUCCESS` when a client certificate was validated on this connection, `NONE` otherwise.
    public var clientVerify: String
    /// The client-identity fields (shared by the records of one validated chain).
    public var identity: AccessLogIdentityFields
    /// The validated leaf's subject, rendered with the configured DN format.
    public var clientSubject: String? { self.identity.subject }
    /// The validated leaf's issuer, rendered with the configured DN format.
    public var clientIssuer: String? { self.identity.issuer }
    /// The validated leaf's serial number (hex).
    public var clientSerial: String? { self.identity.serial }
    /// The RFC 8705 `x5t#S256` thumbprint of the validated leaf.
    public var clientThumbprintS256: String? { self.identity.thumbprintS256 }
    /// The Open Banking organisation id derived from the certificate.
    public var orgID: String? { self.identity.orgID }
    /// The Open Banking software id derived from the certificate.
    public var softwareID: String? { self.identity.softwareID }
    /// The request method.
    public var method: String
    /// The `Host` (or `:authority`) the client sent.
    public var host: String?
    /// The request path without the query string (query strings may carry tokens or PII).
    public var path: String
    /// The HTTP version, e.g. `HTTP/1.1`.
    public var `protocol`: String
    /// The name of the matched route, if any.
    public var route: String?
    /// The name of the upstream pool the request was sent to, if any.
    public var upstream: String?
    /// The concrete upstream address (`host:port`) that served the request, if any.
    public var upstreamAddress: String?
    /// The status code sent downstream.
    public var status: Int
    /// Request body bytes received from downstream.
    public var bytesReceived: Int
    /// Response body bytes sent downstream.
    public var bytesSent: Int
    /// Total time from request start to the last response byte, in milliseconds.
    public var durationMS: Double
    /// Time spent waiting for the upstream, in milliseconds.
    public var upstreamMS: Double?
    /// A stable error code such as `upstream_timeout`; `nil` on success.
    public var error: String?
    /// The `Referer` header; written only by the `combined` format, never in JSON.
    public var referer: String?
    /// The `User-Agent` header; written only by the `combined` format, never in JSON.
    public var userAgent: String?

    /// Creates a record; `path` is cut at the first `?` so a query string never reaches the log.
    public init(
        time: Date,
        requestID: String,
        downstreamAddress: String,
        sni: String? = nil,
        tlsVersion: String? = nil,
        tlsResumed: Bool = false,
        clientVerify: String,
        identity: AccessLogIdentityFields = .none,
        method: String,
        host: String? = nil,
        path: String,
        protocol: String,
        route: String? = nil,
        upstream: String? = nil,
        upstreamAddress: String? = nil,
        status: Int,
        bytesReceived: Int,
        bytesSent: Int,
        durationMS: Double,
        upstreamMS: Double? = nil,
        error: String? = nil,
        referer: String? = nil,
        userAgent: String? = nil
    ) {
        self.time = time
        self.requestID = requestID
        self.downstreamAddress = downstreamAddress
        self.sni = sni
        self.tlsVersion = tlsVersion
        self.tlsResumed = tlsResumed
        self.clientVerify = clientVerify
        self.identity = identity
        self.method = method
        self.host = host
        self.path = Self.pathWithoutQuery(path)
        self.protocol = `protocol`
        self.route = route
        self.upstream = upstream
        self.upstreamAddress = upstreamAddress
        self.status = status
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.durationMS = durationMS
        self.upstreamMS = upstreamMS
        self.error = error
        self.referer = referer
        self.userAgent = userAgent
    }

    /// `target` up to (not including) the first `?`.
    ///
    /// Why: query strings routinely carry authorization codes, tokens and personal data
    /// (RFC 6749 §4.1.2 codes, RFC 9700 §4.3 leakage); the log keeps only the path.
    static func pathWithoutQuery(_ target: String) -> String {
        guard let index = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return target
        }
        return String(target[..<index])
    }
}

/// A TLS handshake that failed: no request exists, so only connection facts are logged.
public struct HandshakeFailureRecord: Sendable, Hashable {
    /// When the handshake failed.
    public var time: Date
    /// The downstream peer as `ip:port`, or `[v6]:port` for IPv6.
    public var downstreamAddress: String
    /// The server name the client asked for, if it got that far.
    public var sni: String?
    /// A stable reason code (e.g. `certificate_expired`, `no_client_certificate`); never raw
    /// TLS-library error text, which can be long and unstable.
    public var reason: String
    /// The name of the listener that accepted the connection.
    public var listener: String?

    /// Creates a record.
    public init(time: Date, downstreamAddress: String, sni: String? = nil, reason: String, listener: String? = nil) {
        self.time = time
        self.downstreamAddress = downstreamAddress
        self.sni = sni
        self.reason = reason
        self.listener = listener
    }
}

/// Another connection-level event that has no request, e.g. a connection refused over
/// `max_connections` or a resumed session whose identity could not be re-validated.
public struct ConnectionEventRecord: Sendable, Hashable {
    /// When it happened.
    public var time: Date
    /// A stable event code written as `event`, e.g. `connection_rejected`, `tls_resumption_rejected`.
    public var event: String
    /// The downstream peer as `ip:port`, or `[v6]:port` for IPv6.
    public var downstreamAddress: String
    /// The server name the client asked for, if known.
    public var sni: String?
    /// A stable reason code, e.g. `max_connections`.
    public var reason: String
    /// The name of the listener that accepted the connection.
    public var listener: String?

    /// Creates a record.
    public init(
        time: Date,
        event: String,
        downstreamAddress: String,
        sni: String? = nil,
        reason: String,
        listener: String? = nil
    ) {
        self.time = time
        self.event = event
        self.downstreamAddress = downstreamAddress
        self.sni = sni
        self.reason = reason
        self.listener = listener
    }
}
