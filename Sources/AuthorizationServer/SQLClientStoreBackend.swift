import SQLKit

/// A database engine behind ``SQLClientStore``: hands out one connection at a time and owns the
/// connections' lifetime.
///
/// Why a protocol of our own: SQLite (one serialised connection on a file) and PostgreSQL (a
/// pool of network connections with timeouts) differ only in how a connection is obtained; the
/// schema and every statement are the same SQL, written once in ``SQLClientStore``.
protocol SQLClientStoreBackend: Sendable {
    /// Which SQL dialect quirks apply (transaction start, migration locking).
    var dialect: SQLClientStoreDialect { get }

    /// Runs `body` with exclusive use of one connection (statements of one transaction must not
    /// interleave with others). Fails promptly when no connection can be had.
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result

    /// Keeps the connections alive until graceful shutdown (or cancellation), then closes them.
    func run() async
}

/// The two engines' differences that matter to the SQL we write.
enum SQLClientStoreDialect: String, Sendable {
    /// SQLite: `BEGIN IMMEDIATE` takes the write lock at once (another process, e.g. the CLI,
    /// then waits on `busy_timeout` instead of failing half-way through a transaction).
    case sqlite
    /// PostgreSQL: migrations serialise on an advisory lock (replicas may start together).
    case postgres

    /// The statement that starts a read-write transaction.
    var beginTransaction: String {
        switch self {
        case .sqlite: return "BEGIN IMMEDIATE"
        case .postgres: return "BEGIN"
        }
    }
}
