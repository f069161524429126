import Logging
import PostgresKit

extension SQLClientStore {
    /// Connects to the configured database, creates or upgrades the schema, and returns the store
    /// with the service that owns its connections (run it in the server's `ServiceGroup`, before
    /// the HTTP service so that it stops after it).
    ///
    /// Fails promptly, with one sentence naming the database (never its password), when the
    /// database cannot be reached: a PostgreSQL socket that does not exist fails at once, a host
    /// that does not answer after `connect_timeout`.
    public static func open(
        _ settings: DatabaseSettings,
        logger: Logger
    ) async throws(ClientStoreError) -> (store: SQLClientStore, service: SQLClientStoreService) {
        let backend: any SQLClientStoreBackend
        switch settings.kind {
        case .sqlite(let path):
            backend = try await Self.openSQLite(path: path, settings: settings, logger: logger)
        case .postgres(let postgres):
            backend = try await Self.openPostgres(postgres, settings: settings, logger: logger)
        }
        return (SQLClientStore(backend: backend), SQLClientStoreService(backend: backend))
    }

    /// The SQLite backend, migrated.
    private static func openSQLite(
        path: String,
        settings: DatabaseSettings,
        logger: Logger
    ) async throws(ClientStoreError) -> SQLClientStoreSQLiteBackend {
        do {
            let backend = try await SQLClientStoreSQLiteBackend.open(path: path, busyTimeout: settings.connectTimeout, logger: logger)
            do {
                try await backend.withConnection { database in
                    try await Self.migrate(database, dialect: .sqlite)
                }
            } catch {
                await SQLClientStoreSQLiteBackend.close(backend.connection)
                throw error
            }
            return backend
        } catch {
            let failure = Self.storeError(error, during: "cannot open the SQLite database \(path)")
            throw ClientStoreError(.unavailable, failure.underlying)
        }
    }

    /// The PostgreSQL backend, after migrating over one direct connection (the pool only
    /// connects once its service runs).
    private static func openPostgres(
        _ postgres: PostgresSettings,
        settings: DatabaseSettings,
        logger: Logger
    ) async throws(ClientStoreError) -> SQLClientStorePostgresBackend {
        let target = settings.redactedURL
        let connection: PostgresConnection
        do {
            connection = try await SQLClientStorePostgresBackend.connectDirectly(
                settings: postgres,
                timeout: settings.connectTimeout,
                logger: logger
            )
        } catch {
            throw ClientStoreError(.unavailable, "cannot connect to PostgreSQL at \(target): \(Self.describe(error))")
        }
        do {
            try await SQLClientStoreDeadline.run(within: settings.connectTimeout * 6) {
                try await Self.migrate(connection.sql(queryLogLevel: nil), dialect: .postgres)
            }
            try? await connection.close()
        } catch {
            try? await connection.close()
            let failure = Self.storeError(error, during: "cannot migrate the PostgreSQL database at \(target)")
            throw ClientStoreError(.unavailable, failure.underlying)
        }
        do {
            return try SQLClientStorePostgresBackend(
                settings: postgres,
                connectTimeout: settings.connectTimeout,
                maxConnections: settings.maxConnections,
                logger: logger
            )
        } catch {
            throw ClientStoreError(.unavailable, "cannot configure TLS for PostgreSQL at \(target): \(error)")
        }
    }
}
