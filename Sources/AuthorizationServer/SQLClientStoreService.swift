import ServiceLifecycle

/// Owns the database connections of a ``SQLClientStore``: PostgreSQL's pool leases connections
/// only while this runs; SQLite's connection is closed when it stops (after the transaction in
/// progress, if any).
///
/// Start it before the HTTP service in the same `ServiceGroup`: services stop in reverse order,
/// so requests in flight still reach the database while the server drains.
public struct SQLClientStoreService: Service {
    /// The backend whose lifetime this is.
    let backend: any SQLClientStoreBackend

    /// Runs until graceful shutdown or cancellation, then closes the connections.
    public func run() async throws {
        await self.backend.run()
    }
}
