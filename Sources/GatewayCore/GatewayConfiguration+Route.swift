import MTLSIdentity

/// Which identity headers are sent upstream (`[identity_headers]`).
public struct IdentityHeadersConfiguration: Sendable {
    /// `forward`: the profiles to add, in configured order; default `["rfc9440", "derived"]`.
    /// Inbound copies of every profile's headers are stripped regardless.
    public var forward: [IdentityHeaderProfile]
    /// `dn_format`: how distinguished names are rendered in headers; default `openssl`.
    public var dnFormat: DNFormat

    /// Creates a configuration with the documented defaults.
    public init(forward: [IdentityHeaderProfile] = [.rfc9440, .derived], dnFormat: DNFormat = .openssl) {
        self.forward = forward
        self.dnFormat = dnFormat
    }
}

/// A route's own client-certificate demand (`[[route]] client_certificate`).
///
/// Why only two values: a route can tighten an `optional` listener (e.g. `/register` needs a
/// certificate while `/.well-known` on the same listener must not, OB DCR §4) but cannot loosen a
/// `required` listener, whose handshake already failed without one.
public enum RouteCertificateRequirement: String, Sendable, Hashable, CaseIterable {
    /// Requests without a verified client certificate are rejected.
    case required
    /// A certificate is forwarded if present, not demanded.
    case optional
}

/// One route (`[[route]]`): which requests go to which upstream.
public struct RouteConfiguration: Sendable {
    /// `name`: unique among routes; appears in logs and metrics.
    public var name: String
    /// `host`; `nil` = any host.
    public var host: HostPattern?
    /// `path_prefix`: starts with `/`; matched segment-aware by the route table.
    public var pathPrefix: String
    /// `methods`: uppercase method tokens; `nil` = any method.
    public var methods: Set<String>?
    /// `upstream`: the name of an existing upstream (checked at load).
    public var upstream: String
    /// `client_certificate`; `nil` = what the listener does.
    public var clientCertificate: RouteCertificateRequirement?
    /// `max_body_size` in bytes; `nil` = unlimited (streamed).
    public var maxBodySize: Int?
    /// `response_timeout`; `nil` = the upstream's.
    public var responseTimeout: Duration?
    /// `preserve_host`: send the downstream `Host` upstream (default `true`); otherwise the
    /// upstream server's `host:port`.
    public var preserveHost: Bool
    /// `rewrite_prefix`: replaces ``pathPrefix`` in the forwarded path; starts with `/`.
    public var rewritePrefix: String?

    /// Creates a route (no validation).
    public init(
        name: String,
        host: HostPattern? = nil,
        pathPrefix: String,
        methods: Set<String>? = nil,
        upstream: String,
        clientCertificate: RouteCertificateRequirement? = nil,
        maxBodySize: Int? = nil,
        responseTimeout: Duration? = nil,
        preserveHost: Bool = true,
        rewritePrefix: String? = nil
    ) {
        self.name = name
        self.host = host
        self.pathPrefix = pathPrefix
        self.methods = methods
        self.upstream = upstream
        self.clientCertificate = clientCertificate
        self.maxBodySize = maxBodySize
        self.responseTimeout = responseTimeout
        self.preserveHost = preserveHost
        self.rewritePrefix = rewritePrefix
    }
}
