import Foundation
import TOMLKit

/// One validation pass over a parsed configuration document: walks every section, records every
/// problem with its key path, and builds the configuration only if nothing was wrong.
///
/// Why a shared protocol: the gateway's ``ConfigurationLoader`` and the authorization server's
/// loader promise operators the same contract (all problems at once, unknown keys are errors,
/// relative paths resolve against the file's folder, PEM material checked at start-up). The parts
/// that do not depend on the file's sections — reading the file, TOML syntax errors, path
/// resolution, value parsing, PEM loading — are written once in extensions of this protocol, so
/// the two binaries' messages cannot drift.
public protocol ConfigurationPass: AnyObject {
    /// The validated configuration a successful pass builds.
    associatedtype Configuration

    /// Creates a pass whose relative paths resolve against `baseDirectory` (absolute) and whose
    /// certificate-expiry warnings use `now`.
    init(baseDirectory: String, now: Date)

    /// Absolute folder that relative paths resolve against.
    var baseDirectory: String { get }
    /// The clock for certificate-expiry warnings.
    var now: Date { get }
    /// Problems and warnings found so far.
    var diagnostics: ConfigurationLoader.Diagnostics { get }

    /// Validates `root`; `nil` when any problem was recorded.
    /// - Parameter sourcePath: the absolute path of the file, kept in the configuration.
    func run(root: TOMLTable, sourcePath: String) -> Configuration?
}

extension ConfigurationPass {
    /// `path` resolved against the configuration file's folder.
    public func resolve(_ path: String) -> String {
        ConfigurationLoader.resolve(path, against: self.baseDirectory)
    }

    /// Parses a string value with a value parser, recording its error at `keyPath`.
    public func parse<Value>(
        _ text: String,
        at keyPath: String,
        _ parser: (String) throws(ConfigurationValueError) -> Value
    ) -> Value? {
        do {
            return try parser(text)
        } catch {
            self.diagnostics.problem(keyPath, error.message)
            return nil
        }
    }
}

extension ConfigurationLoader {
    /// Reads the configuration file at `path` (relative to the working directory) and runs a
    /// `Pass` over it; relative paths inside the file resolve against the file's folder.
    /// - Parameter now: the clock for certificate-expiry warnings.
    /// - Returns: the configuration and the warnings to log at start-up.
    public static func runPass<Pass: ConfigurationPass>(
        _ type: Pass.Type,
        path: String,
        now: Date
    ) throws(ConfigurationError) -> (configuration: Pass.Configuration, warnings: [String]) {
        let file = try Self.readConfigurationFile(path: path)
        return try Self.runPass(
            type,
            contents: file.contents,
            baseDirectory: file.url.deletingLastPathComponent().path,
            sourceName: file.url.lastPathComponent,
            now: now
        )
    }

    /// Parses configuration text and runs a `Pass` over it.
    /// - Parameters:
    ///   - baseDirectory: the folder relative paths resolve against (normally the file's folder).
    ///   - sourceName: the file name used in syntax-error messages (`gateway.conf:12: ...`) and,
    ///     resolved against `baseDirectory`, as the configuration's source path.
    ///   - now: the clock for certificate-expiry warnings.
    public static func runPass<Pass: ConfigurationPass>(
        _ type: Pass.Type,
        contents: String,
        baseDirectory: String,
        sourceName: String,
        now: Date
    ) throws(ConfigurationError) -> (configuration: Pass.Configuration, warnings: [String]) {
        let root = try Self.parseDocument(contents, sourceName: sourceName)
        let directory = Self.resolve(baseDirectory, against: Self.currentDirectory)
        let pass = Pass(baseDirectory: directory, now: now)
        let sourcePath = Self.resolve(sourceName, against: directory)
        guard let configuration = pass.run(root: root, sourcePath: sourcePath) else {
            throw ConfigurationError(problems: pass.diagnostics.problems)
        }
        return (configuration, pass.diagnostics.warnings)
    }

    /// Reads the configuration file at `path` (relative to the working directory).
    /// - Returns: its text and its absolute URL.
    /// - Throws: one problem `cannot read "<absolute path>": <reason>` at the empty key path.
    public static func readConfigurationFile(path: String) throws(ConfigurationError) -> (contents: String, url: URL) {
        let absolutePath = Self.resolve(path, against: Self.currentDirectory)
        switch Self.readTextFile(atPath: absolutePath) {
        case .success(let text):
            return (text, URL(fileURLWithPath: absolutePath))
        case .failure(let failure):
            throw ConfigurationError(problems: [
                ConfigurationProblem(
                    keyPath: "",
                    message: "cannot read \(Self.quoted(absolutePath)): \(failure.reason)"
                )
            ])
        }
    }

    /// Parses TOML text.
    /// - Throws: one problem at `sourceName` with the line of the syntax error, when known.
    public static func parseDocument(_ contents: String, sourceName: String) throws(ConfigurationError) -> TOMLTable {
        do {
            return try TOMLTable(string: contents)
        } catch let error as TOMLParseError {
            throw ConfigurationError(problems: [
                ConfigurationProblem(keyPath: sourceName, line: error.source.begin.line, message: error.description)
            ])
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: sourceName, message: "\(error)")])
        }
    }
}
