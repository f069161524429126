import Foundation
import GatewayCore

extension DatabaseSettings {
    /// Parses a database URL (see ``DatabaseSettings`` for the forms).
    ///
    /// Error messages never repeat the URL: it may carry a password.
    /// - Parameters:
    ///   - url: `sqlite:…` or `postgres://…`.
    ///   - baseDirectory: the folder relative SQLite paths resolve against.
    public init(url: String, baseDirectory: String) throws(ConfigurationValueError) {
        let kind: DatabaseKind
        if url.hasPrefix("sqlite:") {
            kind = .sqlite(path: try Self.sqlitePath(String(url.dropFirst("sqlite:".count)), baseDirectory: baseDirectory))
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let rest = url.hasPrefix("postgres://") ? url.dropFirst("postgres://".count) : url.dropFirst("postgresql://".count)
            kind = .postgres(try Self.postgresSettings(String(rest)))
        } else {
            throw ConfigurationValueError(
                "unsupported database URL; use \"sqlite:PATH\", \"sqlite::memory:\" or \"postgres://user@host:5432/db\""
            )
        }
        self.init(url: url, kind: kind)
    }

    /// The absolute SQLite path of `sqlite:<rest>`.
    private static func sqlitePath(_ rest: String, baseDirectory: String) throws(ConfigurationValueError) -> String {
        if rest == DatabaseKind.sqliteMemoryPath {
            return rest
        }
        var path = rest
        if path.hasPrefix("//") {
            path.removeFirst(2)
            guard path.hasPrefix("/") else {
                throw ConfigurationValueError("a sqlite:// URL needs an absolute path (sqlite:///var/lib/as.sqlite); use sqlite:PATH for a relative one")
            }
        }
        guard !path.isEmpty else {
            throw ConfigurationValueError("the SQLite URL has no path; use \"sqlite:data/authorization-server.sqlite\"")
        }
        guard !path.contains("?") else {
            throw ConfigurationValueError("SQLite URLs take no parameters")
        }
        return ConfigurationLoader.resolve(path, against: baseDirectory)
    }

    /// The settings of `postgres://<rest>`.
    private static func postgresSettings(_ rest: String) throws(ConfigurationValueError) -> PostgresSettings {
        guard !rest.contains("#") else {
            throw ConfigurationValueError("PostgreSQL URLs take no fragment (#…); name the database in the path")
        }
        let (beforeQuery, query) = Self.split(rest, at: "?")
        let (authority, path) = Self.split(beforeQuery, at: "/")
        guard let at = authority.lastIndex(of: "@") else {
            throw ConfigurationValueError("the PostgreSQL URL names no user; use postgres://user@host/db")
        }
        let (rawUser, rawPassword) = Self.split(String(authority[..<at]), at: ":")
        let username = try Self.decode(rawUser, what: "user name")
        guard !username.isEmpty else {
            throw ConfigurationValueError("the PostgreSQL URL names no user; use postgres://user@host/db")
        }
        let password = try rawPassword.map { (text) throws(ConfigurationValueError) in try Self.decode(text, what: "password") }
        var (host, port) = try Self.hostAndPort(String(authority[authority.index(after: at)...]))
        let database = try path.map { (text) throws(ConfigurationValueError) in try Self.decode(text, what: "database name") }
        var tls = PostgresSettings.TLSMode.prefer
        for item in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let (name, rawValue) = Self.split(String(item), at: "=")
            let value = try Self.decode(rawValue ?? "", what: "parameter \(name)")
            switch name {
            case "host":
                host = value
            case "port":
                port = try Self.port(value)
            case "sslmode", "tlsmode":
                tls = try Self.tlsMode(value)
            default:
                throw ConfigurationValueError(
                    "unknown PostgreSQL URL parameter \(ConfigurationLoader.quoted(name)); expected \"host\", \"port\" or \"sslmode\""
                )
            }
        }
        guard let host, !host.isEmpty else {
            throw ConfigurationValueError("the PostgreSQL URL names no host; use postgres://user@host:5432/db or ?host=/socket/dir")
        }
        var settings = PostgresSettings(
            host: host,
            port: port ?? 5432,
            username: username,
            password: password,
            database: (database?.isEmpty ?? true) ? nil : database,
            tls: tls
        )
        if host.hasPrefix("/") {
            settings.host = nil
            settings.unixSocketPath = Self.socketFile(host, port: settings.port)
        } else if host.contains("/") {
            throw ConfigurationValueError("a Unix socket directory must be an absolute path")
        }
        return settings
    }

    /// libpq semantics: `host` names the socket directory; a path whose last component already is
    /// a `.s.PGSQL.<port>` socket file is taken as is.
    private static func socketFile(_ path: String, port: Int) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let last = trimmed.split(separator: "/").last ?? ""
        if last.hasPrefix(".s.PGSQL.") {
            return trimmed
        }
        return (trimmed == "/" ? "" : trimmed) + "/.s.PGSQL.\(port)"
    }

    /// `host`, `host:port`, `[v6]:port` or empty; a percent-encoded host is decoded (a socket dir).
    private static func hostAndPort(_ text: String) throws(ConfigurationValueError) -> (String?, Int?) {
        if text.isEmpty {
            return (nil, nil)
        }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ConfigurationValueError("unterminated [IPv6] host in the PostgreSQL URL")
            }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw ConfigurationValueError("unexpected text after the [IPv6] host in the PostgreSQL URL")
            }
            return (host, after.isEmpty ? nil : try Self.port(String(after.dropFirst())))
        }
        let (rawHost, rawPort) = Self.split(text, at: ":")
        let host = try Self.decode(rawHost, what: "host")
        return (host.isEmpty ? nil : host, try rawPort.map { (port) throws(ConfigurationValueError) in try Self.port(port) })
    }

    /// A port number 1...65535.
    private static func port(_ text: String) throws(ConfigurationValueError) -> Int {
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let port = Int(text), (1...65535).contains(port) else {
            throw ConfigurationValueError("invalid PostgreSQL port \(ConfigurationLoader.quoted(text)); expected 1...65535")
        }
        return port
    }

    /// An `sslmode`, with libpq's names accepted as aliases.
    private static func tlsMode(_ text: String) throws(ConfigurationValueError) -> PostgresSettings.TLSMode {
        switch text {
        case "disable": return .disable
        case "prefer", "allow": return .prefer
        case "require", "verify-ca", "verify-full": return .require
        default:
            throw ConfigurationValueError(
                "unknown sslmode \(ConfigurationLoader.quoted(text)); expected \"disable\", \"prefer\" or \"require\""
            )
        }
    }

    /// Percent-decoding, or an error naming the component.
    private static func decode(_ text: String, what: String) throws(ConfigurationValueError) -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw ConfigurationValueError("invalid percent-encoding in the \(what) of the PostgreSQL URL")
        }
        return decoded
    }

    /// The text before and after the first `separator` (nil when absent).
    private static func split(_ text: String, at separator: Character) -> (String, String?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }
}

extension Character {
    /// `0`...`9` only (not other Unicode digits).
    fileprivate var isASCIIDigit: Bool {
        self.isASCII && self.isNumber
    }
}
