import Foundation

/// Where `ob-sandbox up` keeps its state, inside one folder (`.sandbox` by default).
///
/// ```
/// .sandbox/
///   pki/                         the sandbox PKI (`ob-sandbox pki init` layout), reused across runs
///   gateway.conf                 generated on every run (usable with `mtls-gateway run --config`)
///   authorization-server.conf    generated on every run (usable with `authorization-server run`)
///   data/as.sqlite               the authorization server's clients and tokens
///   logs/access.log              the gateway's access log (appended to)
/// ```
///
/// The configuration files use paths relative to the folder, so the folder can be moved.
public struct SandboxLayout: Sendable, Hashable {
    /// The folder as the user named it (for messages: `rm -rf .sandbox`).
    public let root: String
    /// The folder as an absolute path.
    public let absoluteRoot: String

    /// The layout under `root` (relative paths resolve against the current directory).
    public init(root: String) {
        self.root = root
        self.absoluteRoot = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    /// Relative to the root, as written into the generated configuration files.
    public enum RelativePath {
        /// The PKI folder.
        public static let pki = "pki"
        /// The SQLite database of the authorization server.
        public static let database = "data/as.sqlite"
        /// The gateway's access log.
        public static let accessLog = "logs/access.log"
        /// The generated gateway configuration.
        public static let gatewayConfiguration = "gateway.conf"
        /// The generated authorization-server configuration.
        public static let authorizationServerConfiguration = "authorization-server.conf"
    }

    /// The PKI folder, as the user would type it (`.sandbox/pki`).
    public var pki: String { self.display(RelativePath.pki) }
    /// The access log, as the user would type it.
    public var accessLog: String { self.display(RelativePath.accessLog) }
    /// The database, as the user would type it.
    public var database: String { self.display(RelativePath.database) }
    /// The generated gateway configuration, as the user would type it.
    public var gatewayConfiguration: String { self.display(RelativePath.gatewayConfiguration) }
    /// The generated authorization-server configuration, as the user would type it.
    public var authorizationServerConfiguration: String {
        self.display(RelativePath.authorizationServerConfiguration)
    }

    /// The absolute path of `relative`.
    public func absolute(_ relative: String) -> String {
        URL(fileURLWithPath: self.absoluteRoot).appendingPathComponent(relative).path
    }

    /// `relative` under the root as the user named it.
    public func display(_ relative: String) -> String {
        self.root.hasSuffix("/") ? self.root + relative : self.root + "/" + relative
    }

    /// Creates the root, `data/` and `logs/`.
    ///
    /// - Throws: ``SandboxUpError/cannotWrite(path:reason:)``.
    public func createFolders() throws(SandboxUpError) {
        for folder in ["", "data", "logs"] {
            let path = folder.isEmpty ? self.absoluteRoot : self.absolute(folder)
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(path: folder.isEmpty ? self.root : self.display(folder), reason: Self.reason(error))
            }
        }
    }

    /// Writes `text` to `relative` (replacing it).
    ///
    /// - Throws: ``SandboxUpError/cannotWrite(path:reason:)``.
    public func write(_ text: String, to relative: String) throws(SandboxUpError) {
        do {
            try text.write(toFile: self.absolute(relative), atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite(path: self.display(relative), reason: Self.reason(error))
        }
    }

    /// The size of the file at `relative`, 0 when it does not exist.
    public func fileSize(_ relative: String) -> UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: self.absolute(relative))
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return ns.localizedDescription
    }
}
