import Foundation
import GatewayCore

/// Turns `authorization-server.conf` (TOML) into a validated ``AuthorizationServerConfiguration``.
///
/// Same contract as the gateway's `ConfigurationLoader`, whose table reader and problem types it
/// reuses: one pass collects every problem with its key path (`directory[0] "OpenBanking".jwks:
/// …`), unknown keys and values are errors (a misspelt security setting must never fall back to a
/// default), relative paths resolve against the file's folder, and PEM material (trust roots, the
/// token-signing key) is loaded and checked at start-up.
public enum AuthorizationServerConfigurationLoader {
    /// Loads the file at `path`.
    /// - Parameter now: the clock for certificate-expiry warnings.
    public static func load(path: String, now: Date = Date()) throws(ConfigurationError) -> AuthorizationServerConfiguration {
        try Self.loadReportingWarnings(path: path, now: now).configuration
    }

    /// Loads configuration text.
    /// - Parameters:
    ///   - baseDirectory: the folder relative paths resolve against (normally the file's folder).
    ///   - sourceName: the file name used in syntax-error messages and, resolved against
    ///     `baseDirectory`, as ``AuthorizationServerConfiguration/sourcePath``.
    public static func load(
        contents: String,
        baseDirectory: String,
        sourceName: String,
        now: Date = Date()
    ) throws(ConfigurationError) -> AuthorizationServerConfiguration {
        try Self.loadReportingWarnings(contents: contents, baseDirectory: baseDirectory, sourceName: sourceName, now: now)
            .configuration
    }

    /// As ``load(path:now:)``, also returning the warnings to log at start-up.
    public static func loadReportingWarnings(
        path: String,
        now: Date = Date()
    ) throws(ConfigurationError) -> LoadedAuthorizationServerConfiguration {
        let loaded = try ConfigurationLoader.runPass(Pass.self, path: path, now: now)
        return LoadedAuthorizationServerConfiguration(configuration: loaded.configuration, warnings: loaded.warnings)
    }

    /// As ``load(contents:baseDirectory:sourceName:now:)``, also returning the warnings.
    public static func loadReportingWarnings(
        contents: String,
        baseDirectory: String,
        sourceName: String,
        now: Date = Date()
    ) throws(ConfigurationError) -> LoadedAuthorizationServerConfiguration {
        let loaded = try ConfigurationLoader.runPass(
            Pass.self,
            contents: contents,
            baseDirectory: baseDirectory,
            sourceName: sourceName,
            now: now
        )
        return LoadedAuthorizationServerConfiguration(configuration: loaded.configuration, warnings: loaded.warnings)
    }
}
