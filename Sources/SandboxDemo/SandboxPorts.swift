/// The five ports `ob-sandbox up` listens on, and the command-line flag that sets each.
///
/// Why defaults that do not collide: a newcomer runs `ob-sandbox up` once and everything must come
/// up; 8443 is the gateway's usual port, the others sit next to it or next to the AS's 9000.
/// `0` asks for a free port (tests use it for every component).
public struct SandboxPorts: Sendable, Hashable {
    /// One listener of the sandbox.
    public enum Component: String, Sendable, Hashable, CaseIterable {
        /// The gateway's MTLS listener (HTTPS).
        case gateway
        /// The sandbox Open Banking directory (HTTPS: JWKS and SSAs).
        case directory
        /// The authorization server (plain HTTP on loopback, reached through the gateway).
        case authorizationServer
        /// The demo resource server (plain HTTP on loopback, reached through the gateway).
        case resourceServer
        /// The gateway's admin listener (plain HTTP on loopback: health, readiness, metrics).
        case admin

        /// The flag that changes this component's port.
        public var flag: String {
            switch self {
            case .gateway: "--gateway-port"
            case .directory: "--directory-port"
            case .authorizationServer: "--as-port"
            case .resourceServer: "--resource-port"
            case .admin: "--admin-port"
            }
        }

        /// What the component is, in a few words (for messages).
        public var title: String {
            switch self {
            case .gateway: "the gateway"
            case .directory: "the sandbox directory"
            case .authorizationServer: "the authorization server"
            case .resourceServer: "the demo resource server"
            case .admin: "the gateway's admin listener"
            }
        }

        /// The default port.
        public var defaultPort: Int {
            switch self {
            case .gateway: 8443
            case .directory: 8444
            case .authorizationServer: 9000
            case .resourceServer: 9100
            case .admin: 9901
            }
        }
    }

    /// The gateway's MTLS listener.
    public var gateway: Int
    /// The sandbox directory.
    public var directory: Int
    /// The authorization server.
    public var authorizationServer: Int
    /// The demo resource server.
    public var resourceServer: Int
    /// The gateway's admin listener.
    public var admin: Int

    /// Ports from their parts; the defaults are 8443, 8444, 9000, 9100 and 9901.
    public init(
        gateway: Int = Component.gateway.defaultPort,
        directory: Int = Component.directory.defaultPort,
        authorizationServer: Int = Component.authorizationServer.defaultPort,
        resourceServer: Int = Component.resourceServer.defaultPort,
        admin: Int = Component.admin.defaultPort
    ) {
        self.gateway = gateway
        self.directory = directory
        self.authorizationServer = authorizationServer
        self.resourceServer = resourceServer
        self.admin = admin
    }

    /// The port of `component`.
    public subscript(component: Component) -> Int {
        get {
            switch component {
            case .gateway: self.gateway
            case .directory: self.directory
            case .authorizationServer: self.authorizationServer
            case .resourceServer: self.resourceServer
            case .admin: self.admin
            }
        }
        set {
            switch component {
            case .gateway: self.gateway = newValue
            case .directory: self.directory = newValue
            case .authorizationServer: self.authorizationServer = newValue
            case .resourceServer: self.resourceServer = newValue
            case .admin: self.admin = newValue
            }
        }
    }

    /// Checks each port is in 0...65535 and that no two non-zero ports are equal.
    ///
    /// - Throws: ``SandboxUpError/invalidPort(component:port:)`` or
    ///   ``SandboxUpError/duplicatePort(port:first:second:)``.
    public func validate() throws(SandboxUpError) {
        var seen: [Int: Component] = [:]
        for component in Component.allCases {
            let port = self[component]
            guard (0...65_535).contains(port) else {
                throw .invalidPort(component: component, port: port)
            }
            guard port != 0 else { continue }
            if let first = seen[port] {
                throw .duplicatePort(port: port, first: first, second: component)
            }
            seen[port] = component
        }
    }
}
