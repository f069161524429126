import Foundation

/// The validated gateway configuration: every value typed, every path absolute, every certificate
/// parsed. Produced only by ``ConfigurationLoader``; nothing downstream re-validates it.
///
/// Why validated up front: a proxy that discovers a bad trust root or an unknown upstream at the
/// first request fails open or fails late. Loading everything at start-up, and refusing to start
/// on any problem, keeps those failures out of production traffic.
public struct GatewayConfiguration: Sendable {
    /// The absolute path of the file this was loaded from (or the name given to
    /// ``ConfigurationLoader/load(contents:baseDirectory:sourceName:now:)``, resolved against its
    /// base directory).
    public var sourcePath: String
    /// `[gateway]`: process-wide settings.
    public var gateway: GatewaySettings
    /// `[admin]`: the plain-HTTP admin endpoint, if configured.
    public var admin: AdminSettings?
    /// `[[listener]]`, in file order; never empty.
    public var listeners: [ListenerConfiguration]
    /// `[identity_headers]`: which identity headers are sent upstream.
    public var identityHeaders: IdentityHeadersConfiguration
    /// `[[upstream]]`, in file order.
    public var upstreams: [UpstreamConfiguration]
    /// `[[route]]`, in file order (first match wins is decided by the route table); never empty.
    public var routes: [RouteConfiguration]

    /// Creates a configuration from its parts (no validation; tests and the loader use it).
    public init(
        sourcePath: String,
        gateway: GatewaySettings = GatewaySettings(),
        admin: AdminSettings? = nil,
        listeners: [ListenerConfiguration],
        identityHeaders: IdentityHeadersConfiguration = IdentityHeadersConfiguration(),
        upstreams: [UpstreamConfiguration],
        routes: [RouteConfiguration]
    ) {
        self.sourcePath = sourcePath
        self.gateway = gateway
        self.admin = admin
        self.listeners = listeners
        self.identityHeaders = identityHeaders
        self.upstreams = upstreams
        self.routes = routes
    }

    /// The upstream with this name, if any (route references are checked at load time, so for a
    /// route's `upstream` this never returns `nil`).
    public func upstream(named name: String) -> UpstreamConfiguration? {
        self.upstreams.first(where: { $0.name == name })
    }
}

/// What ``ConfigurationLoader`` returns: the configuration plus non-fatal findings.
public struct LoadedConfiguration: Sendable {
    /// The validated configuration.
    public var configuration: GatewayConfiguration
    /// Things worth logging at start-up that do not prevent it, e.g. a CA certificate expiring
    /// within 90 days; each is `key.path: message`.
    public var warnings: [String]

    /// Creates a result.
    public init(configuration: GatewayConfiguration, warnings: [String]) {
        self.configuration = configuration
        self.warnings = warnings
    }
}
