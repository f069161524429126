import Logging
import ServiceLifecycle

/// Opens the store `database` names: SQLite or PostgreSQL through ``SQLClientStore`` (schema
/// created or upgraded on the way), retrying an unreachable database for `startup_wait`
/// (``StartupRetry``).
///
/// - Returns: the store, and the service owning its connections, to run first in the server's
///   `ServiceGroup`.
/// - Throws: ``ClientStoreError`` (`.unavailable`) with one sentence naming the database
///   (password redacted) when it cannot be opened or migrated.
public func makeClientStore(
    _ database: DatabaseSettings,
    logger: Logger
) async throws -> (store: any ClientStore, service: (any Service)?) {
    let retry = StartupRetry(wait: database.startupWait)
    let (store, service) = try await retry.run(
        logger: logger,
        what: "opening the database \(database.redactedURL)",
        isRetryable: { ($0 as? ClientStoreError)?.code == .unavailable }
    ) {
        try await SQLClientStore.open(database, logger: logger)
    }
    return (store, service)
}
