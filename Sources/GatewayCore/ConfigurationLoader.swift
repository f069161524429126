import Foundation
import TOMLKit

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
        let absolutePath = Self.resolve(path, against: Self.currentDirectory)
        let contents: String
        switch Self.readTextFile(atPath: absolutePath) {
        case .success(let text):
            contents = text
        case .failure(let failure):
            throw ConfigurationError(problems: [
                ConfigurationProblem(
                    keyPath: "",
                    message: "cannot read \(Self.quoted(absolutePath)): \(failure.reason)"
                )
            ])
        }
        let url = URL(fileURLWithPath: absolutePath)
        return try Self.load(
            contents: contents,
            baseDirectory: url.deletingLastPathComponent().path,
            sourceName: url.lastPathComponent,
            now: now
        )
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
        let root: TOMLTable
        do {
            root = try TOMLTable(string: contents)
        } catch let error as TOMLParseError {
            throw ConfigurationError(problems: [
                ConfigurationProblem(keyPath: sourceName, line: error.source.begin.line, message: error.description)
            ])
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: sourceName, message: "\(error)")])
        }
        let directory = Self.resolve(baseDirectory, against: Self.currentDirectory)
        let pass = Pass(baseDirectory: directory, now: now)
        let sourcePath = Self.resolve(sourceName, against: directory)
        guard let configuration = pass.run(root: root, sourcePath: sourcePath) else {
            throw ConfigurationError(problems: pass.diagnostics.problems)
        }
        return LoadedConfiguration(configuration: configuration, warnings: pass.diagnostics.warnings)
    }
}
