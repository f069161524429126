import Logging
import NIOCore
import NIOSSL
import PostgresKit
import ServiceLifecycle

/// PostgreSQL through postgres-nio's `PostgresClient` pool.
///
/// Every operation is bounded by the configured connect timeout: while the server is down,
/// postgres-nio keeps retrying connections and would queue requests for a minute before failing
/// them; here they fail with ``ClientStoreError/Code/unavailable`` (→ 503) after the timeout.
final class SQLClientStorePostgresBackend: SQLClientStoreBackend {
    /// The pool; it leases connections only while ``run()`` runs.
    let client: PostgresClient
    /// The bound on each operation.
    let timeout: Duration

    var dialect: SQLClientStoreDialect { .postgres }

    /// A pool for `settings`; nothing connects until ``run()``.
    init(settings: PostgresSettings, connectTimeout: Duration, maxConnections: Int, logger: Logger) throws {
        var configuration: PostgresClient.Configuration
        if let socket = settings.unixSocketPath {
            configuration = .init(
                unixSocketPath: socket,
                username: settings.username,
                password: settings.password,
                database: settings.database
            )
        } else {
            configuration = .init(
                host: settings.host ?? "localhost",
                port: settings.port,
                username: settings.username,
                password: settings.password,
                database: settings.database,
                tls: try Self.clientTLS(settings.tls)
            )
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = maxConnections
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.timeout = connectTimeout
    }

    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let client = self.client
        return try await SQLClientStoreDeadline.run(within: self.timeout) {
            try await client.withConnection { connection in
                try await body(connection.sql(queryLogLevel: nil))
            }
        }
    }

    /// Runs the pool until graceful shutdown or cancellation.
    func run() async {
        await self.client.run()
    }

    /// One direct connection (no pool), for start-up migrations before the service group runs;
    /// bounded by `timeout` as a whole (TCP connect, TLS and authentication).
    static func connectDirectly(
        settings: PostgresSettings,
        timeout: Duration,
        logger: Logger
    ) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socket = settings.unixSocketPath {
            configuration = .init(
                unixSocketPath: socket,
                username: settings.username,
                password: settings.password,
                database: settings.database
            )
        } else {
            configuration = .init(
                host: settings.host ?? "localhost",
                port: settings.port,
                username: settings.username,
                password: settings.password,
                database: settings.database,
                tls: try Self.connectionTLS(settings.tls)
            )
        }
        configuration.options.connectTimeout = TimeAmount(timeout)
        let finalConfiguration = configuration
        return try await SQLClientStoreDeadline.run(within: timeout) {
            try await PostgresConnection.connect(configuration: finalConfiguration, id: 0, logger: logger)
        }
    }

    /// The pool's TLS for a mode (certificates always verified when TLS is used).
    private static func clientTLS(_ mode: PostgresSettings.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    /// A single connection's TLS for a mode.
    private static func connectionTLS(_ mode: PostgresSettings.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
