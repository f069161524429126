import Foundation

/// The validated configuration of the authorization server (`authorization-server.conf`, TOML).
///
/// Built only by ``AuthorizationServerConfigurationLoader``: every value here has been checked
/// (addresses parsed, durations positive, PEM files loaded, the signing key usable), so the server
/// never discovers a configuration mistake while serving. The file contract is issue 3's
/// `[server]`, `[database]`, `[registration]`, `[[directory]]`, `[tokens]`, `[introspection]`.
public struct AuthorizationServerConfiguration: Sendable {
    /// Absolute path of the configuration file (for logs and `check-config`).
    public var sourcePath: String
    /// `[server]`: listening address, public issuer URL, trusted proxies.
    public var server: ServerSettings
    /// `[database]`: where clients, `jti`s and tokens are stored.
    public var database: DatabaseSettings
    /// `[registration]`: what `POST /register` accepts.
    public var registration: RegistrationSettings
    /// `[[directory]]`: the software-statement issuers this server trusts, in file order.
    public var directories: [DirectoryConfiguration]
    /// `[tokens]`: the access-token signing key and lifetime.
    public var tokens: TokenSettings
    /// `[introspection]`: resource-server credentials for `POST /introspect`.
    public var introspection: IntrospectionSettings

    /// Creates a configuration from validated parts.
    public init(
        sourcePath: String,
        server: ServerSettings,
        database: DatabaseSettings,
        registration: RegistrationSettings,
        directories: [DirectoryConfiguration],
        tokens: TokenSettings,
        introspection: IntrospectionSettings = IntrospectionSettings()
    ) {
        self.sourcePath = sourcePath
        self.server = server
        self.database = database
        self.registration = registration
        self.directories = directories
        self.tokens = tokens
        self.introspection = introspection
    }

    /// The directory whose `issuer` is `issuer` (SSA `iss`), if any; issuers are unique.
    public func directory(issuer: String) -> DirectoryConfiguration? {
        self.directories.first(where: { $0.issuer == issuer })
    }
}

/// What ``AuthorizationServerConfigurationLoader/loadReportingWarnings(path:now:)`` returns: the
/// configuration plus non-fatal findings.
public struct LoadedAuthorizationServerConfiguration: Sendable {
    /// The validated configuration.
    public var configuration: AuthorizationServerConfiguration
    /// Things to log at start-up that do not prevent it (a CA expiring within 90 days, a directory
    /// JWKS file that does not exist yet, self-signed SSAs enabled); each is `key.path: message`.
    public var warnings: [String]

    /// Creates a result.
    public init(configuration: AuthorizationServerConfiguration, warnings: [String]) {
        self.configuration = configuration
        self.warnings = warnings
    }
}
