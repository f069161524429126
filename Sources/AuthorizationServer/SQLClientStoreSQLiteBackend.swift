import Foundation
import Logging
import SQLiteKit
import ServiceLifecycle

/// SQLite through sqlite-nio: one connection, used by one caller at a time.
///
/// Durability: `journal_mode=WAL` with `synchronous=FULL` makes every commit fsync the WAL
/// before `COMMIT` returns, so a registration acknowledged with 201 survives `kill -9` and power
/// loss (with `NORMAL`, WAL commits may be lost on power failure). `busy_timeout` bounds the wait
/// for another process (the CLI) holding the write lock, instead of sqlite-nio's default handler,
/// which retries forever.
final class SQLClientStoreSQLiteBackend: SQLClientStoreBackend {
    /// The open connection (sqlite-nio opens it in serialised mode; the lock orders transactions).
    let connection: SQLiteConnection
    /// One caller at a time.
    let lock = SQLClientStoreLock()

    var dialect: SQLClientStoreDialect { .sqlite }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// A store dropped without its service having run (a test, a failed start-up) still closes
    /// its database: the close retains the connection until it has run on sqlite-nio's pool.
    deinit {
        if !self.connection.isClosed {
            _ = self.connection.close()
        }
    }

    /// Opens (creating if missing, with its folder) the database at `path` and sets the pragmas.
    ///
    /// A new database file is created with mode 0600: it holds client metadata and the hashes of
    /// client secrets and registration access tokens.
    static func open(path: String, busyTimeout: Duration, logger: Logger) async throws -> SQLClientStoreSQLiteBackend {
        let storage: SQLiteConnection.Storage
        if path == DatabaseKind.sqliteMemoryPath {
            storage = .memory
        } else {
            try Self.prepareFile(at: path)
            storage = .file(path: path)
        }
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        do {
            let database = connection.sql(queryLogLevel: nil)
            let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
            try await database.raw("PRAGMA busy_timeout = \(literal: max(milliseconds, 1))").run()
            let mode = try await database.raw("PRAGMA journal_mode = WAL").first()?.decode(column: "journal_mode", as: String.self)
            if storage != .memory, mode?.lowercased() != "wal" {
                logger.warning(
                    "SQLite did not switch to WAL journaling; commits stay durable but readers block writers",
                    metadata: ["journal_mode": .string(mode ?? "unknown")]
                )
            }
            try await database.raw("PRAGMA synchronous = FULL").run()
        } catch {
            await Self.close(connection)
            throw error
        }
        return SQLClientStoreSQLiteBackend(connection: connection)
    }

    /// Creates the folder (0700) and an empty database file (0600) when missing.
    private static func prepareFile(at path: String) throws {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !manager.fileExists(atPath: folder) {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ClientStoreError(.unavailable, "cannot create the SQLite database \(path)")
            }
        }
    }

    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let connection = self.connection
        return try await self.lock.withLock {
            guard !connection.isClosed else {
                throw ClientStoreError(.unavailable, "the SQLite database is closed (the server is shutting down)")
            }
            return try await body(connection.sql(queryLogLevel: nil))
        }
    }

    /// Waits for graceful shutdown (or cancellation), then closes the connection once the
    /// current transaction, if any, has finished.
    func run() async {
        try? await gracefulShutdown()
        await self.lock.acquire()
        await Self.close(self.connection)
        await self.lock.release()
    }

    /// Closes `connection` in a task of its own: the caller may be cancelled, and sqlite-nio's
    /// thread pool refuses work from a cancelled task, which would leave the database open (and
    /// trip sqlite-nio's "not closed before deinitializing" assertion).
    static func close(_ connection: SQLiteConnection) async {
        await Task { try? await connection.close() }.value
    }
}
