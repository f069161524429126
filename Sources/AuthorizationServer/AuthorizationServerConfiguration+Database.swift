/// `[database]`: where clients, replay-protection `jti`s and issued tokens live.
///
/// URL forms (``init(url:baseDirectory:)``):
/// - `sqlite:PATH` — a SQLite file, relative paths against the configuration file's folder
///   (`sqlite:data/as.sqlite`); `sqlite:///absolute/path` also works;
/// - `sqlite::memory:` — an in-memory SQLite database (lost on exit; tests and demos);
/// - `postgres://user:password@host:5432/database` — PostgreSQL over TCP (`postgresql://` too;
///   `?sslmode=disable|prefer|require`, default `prefer`);
/// - `postgres://user@/database?host=/socket/dir` — PostgreSQL over a Unix socket: `host` is the
///   socket *directory* as in libpq (the socket file is `DIR/.s.PGSQL.PORT`), or the socket file
///   itself; a percent-encoded path as host (`postgres://user@%2Fsocket%2Fdir/db`) is the same.
public struct DatabaseSettings: Sendable, Hashable {
    /// The default bound on establishing one database connection.
    public static let defaultConnectTimeout: Duration = .seconds(5)
    /// The default size of the PostgreSQL connection pool.
    public static let defaultMaxConnections = 8

    /// `url`, exactly as configured. May contain a password: log ``redactedURL`` instead.
    public var url: String
    /// The parsed URL.
    public var kind: DatabaseKind
    /// `connect_timeout`: establishing a connection (and waiting for a pooled one) fails after
    /// this, so a database that is down yields a prompt 503, never a hang.
    public var connectTimeout: Duration
    /// `max_connections`: PostgreSQL pool size (SQLite always uses one serialised connection).
    public var maxConnections: Int
    /// `startup_wait`: how long start-up keeps retrying a database it cannot reach (with
    /// backoff, ``StartupRetry``); zero fails at once.
    public var startupWait: Duration = .zero

    /// Creates settings from a parsed URL.
    public init(
        url: String,
        kind: DatabaseKind,
        connectTimeout: Duration = DatabaseSettings.defaultConnectTimeout,
        maxConnections: Int = DatabaseSettings.defaultMaxConnections
    ) {
        self.url = url
        self.kind = kind
        self.connectTimeout = connectTimeout
        self.maxConnections = maxConnections
    }

    /// The URL with any password replaced by `***`, for logs and `check-config`.
    public var redactedURL: String {
        switch self.kind {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let settings):
            return settings.redactedDescription
        }
    }
}

/// Which database engine, and how to reach it.
public enum DatabaseKind: Sendable, Hashable {
    /// A SQLite file (absolute path), or `:memory:`.
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresSettings)

    /// The SQLite path of an in-memory database.
    public static let sqliteMemoryPath = ":memory:"
}

/// How to connect to PostgreSQL.
public struct PostgresSettings: Sendable, Hashable {
    /// TLS towards the server (TCP only; Unix sockets never use TLS).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (certificate verified), plain otherwise.
        case prefer
        /// TLS with full certificate verification, or no connection.
        case require
    }

    /// The host name or IP address (TCP); `nil` for a Unix socket.
    public var host: String?
    /// The TCP port, also the suffix of the socket file name (`.s.PGSQL.5432`).
    public var port: Int
    /// The full path of the Unix socket file, when connecting over a socket.
    public var unixSocketPath: String?
    /// The user name.
    public var username: String
    /// The password, if any (trust and peer authentication need none).
    public var password: String?
    /// The database name; `nil` means the server's default (the user name).
    public var database: String?
    /// TLS mode for TCP connections.
    public var tls: TLSMode

    /// Creates settings.
    public init(
        host: String?,
        port: Int = 5432,
        unixSocketPath: String? = nil,
        username: String,
        password: String? = nil,
        database: String? = nil,
        tls: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.unixSocketPath = unixSocketPath
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// `postgres://user:***@host:port/db` or `postgres://user@/db?host=/socket/path`.
    public var redactedDescription: String {
        let credentials = self.username + (self.password == nil ? "" : ":***")
        let database = self.database ?? ""
        if let socket = self.unixSocketPath {
            return "postgres://\(credentials)@/\(database)?host=\(socket)"
        }
        let host = self.host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
        return "postgres://\(credentials)@\(host):\(self.port)/\(database)"
    }
}
