import Foundation
import TOMLKit

/// Where a gateway configuration sends its access log, read for `mtls-gateway logs --config`.
///
/// Only `[gateway] access_log` and `access_log_format` are read, with the same rules as
/// ``ConfigurationLoader`` (relative paths resolve against the file's folder; `"stdout"` is
/// special; an unknown format is an error). Why not the full loader: it also loads TLS material,
/// and an operator allowed to read logs is often not allowed to read the gateway's private key;
/// inspecting logs must not require it.
public struct AccessLogQuerySettings: Sendable, Hashable {
    /// `access_log`.
    public var destination: AccessLogDestination
    /// `access_log_format`.
    public var format: AccessLogFormat

    /// Creates settings.
    public init(destination: AccessLogDestination, format: AccessLogFormat) {
        self.destination = destination
        self.format = format
    }

    /// Reads the access-log settings of the configuration file at `path`.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or parsed, or the two keys
    ///   have invalid values. Problems elsewhere in the file are not reported here.
    public static func load(configurationPath path: String) throws(ConfigurationError) -> AccessLogQuerySettings {
        let file = try ConfigurationLoader.readConfigurationFile(path: path)
        let url = file.url
        let root = try ConfigurationLoader.parseDocument(file.contents, sourceName: url.lastPathComponent)
        let defaults = GatewaySettings()
        var settings = AccessLogQuerySettings(destination: defaults.accessLog, format: defaults.accessLogFormat)
        guard let value = root["gateway"] else {
            return settings
        }
        guard let table = value.table else {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "gateway", message: "must be a table")])
        }
        let diagnostics = ConfigurationLoader.Diagnostics()
        // Every key is "known" here: the rest of the file is the full loader's business.
        let reader = ConfigurationLoader.TableReader(
            table: table,
            keyPath: "gateway",
            knownKeys: Array(table.keys),
            diagnostics: diagnostics
        )
        if let accessLog = reader.string("access_log") {
            if accessLog == "stdout" {
                settings.destination = .stdout
            } else if accessLog.isEmpty {
                reader.problem("access_log", "must be a file path or \"stdout\"")
            } else {
                settings.destination = .file(
                    path: ConfigurationLoader.resolve(accessLog, against: url.deletingLastPathComponent().path)
                )
            }
        }
        settings.format = reader.choice("access_log_format", as: AccessLogFormat.self) ?? settings.format
        guard diagnostics.problems.isEmpty else {
            throw ConfigurationError(problems: diagnostics.problems)
        }
        return settings
    }
}
