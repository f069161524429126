import Foundation

/// Turns a TOML configuration file into a validated ``GatewayConfiguration``.
///
/// One pass collects every problem, each with its key path (`route[2] "registration".upstream:
/// no upstream named "auth"`), so an operator fixes a file in one go. Unknown keys and unknown
/// enumeration values are errors, never ignored: a misspelt `client_certificate` silently falling
/// back to a default is how authentication gets switched off. TLS material is loaded and checked
/// here too (readable, parseable, key matching certificate), so the gateway never starts with a
/// configuration that would fail at the first handshake.
public enum ConfigurationLoader {
    /// Loads the file at `path`; relative paths inside it resolve against its folder.
    /// - Parameter now: the clock for certificate-expiry warnings.
    public static func load(path: String, now: Date = Date()) throws(ConfigurationError) -> LoadedConfiguration {
        let loaded = try Self.runPass(Pass.self, path: path, now: now)
        return LoadedConfiguration(configuration: loaded.configuration, warnings: loaded.warnings)
    }

    /// Loads configuration text.
    /// - Parameters:
    ///   - baseDirectory: the folder relative paths resolve against (normally the file's folder).
    ///   - sourceName: the file name used in syntax-error messages (`gateway.conf:12: ...`) and,
    ///     resolved against `baseDirectory`, as ``GatewayConfiguration/sourcePath``.
    ///   - now: the clock for certificate-expiry warnings.
    public static func load(
        contents: String,
        baseDirectory: String,
        sourceName: String,
        now: Date = Date()
    ) throws(ConfigurationError) -> LoadedConfiguration {
        let loaded = try Self.runPass(
            Pass.self,
            contents: contents,
            baseDirectory: baseDirectory,
            sourceName: sourceName,
            now: now
        )
        return LoadedConfiguration(configuration: loaded.configuration, warnings: loaded.warnings)
    }
}
