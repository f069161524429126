import Foundation
import Logging
import SQLKit

/// ``ClientStore`` on SQLKit: SQLite (the default, one file) or PostgreSQL (shared by replicas),
/// with one schema and the same SQL on both.
///
/// Why these guarantees: a 201 is only sent after ``insert(_:)`` returned, and every write is
/// one committed transaction (SQLite WAL with `synchronous=FULL`; PostgreSQL commits are
/// durable), so killing the process loses no acknowledged registration. Replay protection is a
/// unique constraint, not a read-then-write, so it holds across replicas.
public final class SQLClientStore: ClientStore {
    /// The engine and its connections.
    let backend: any SQLClientStoreBackend

    /// A store on an open backend whose schema is migrated.
    init(backend: any SQLClientStoreBackend) {
        self.backend = backend
    }

    /// Runs `body` on one connection, mapping failures to ``ClientStoreError``.
    func perform<Result: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws(ClientStoreError) -> Result {
        do {
            return try await self.backend.withConnection(body)
        } catch {
            throw Self.storeError(error, during: operation)
        }
    }

    /// Runs `body` in one transaction (committed before returning, rolled back on error).
    func transaction<Result: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws(ClientStoreError) -> Result {
        let begin = self.backend.dialect.beginTransaction
        return try await self.perform(operation) { database in
            try await database.raw("\(unsafeRaw: begin)").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Inserts the client and its extended metadata in one transaction; a duplicate id is `.conflict`.
    public func insert(_ client: RegisteredClient) async throws(ClientStoreError) {
        try await self.transaction("insert client") { database in
            try await database.raw(
                """
                INSERT INTO clients (\(idents: Self.clientColumns, joinedBy: ", "))
                VALUES (\(binds: Self.clientValues(client)))
                """
            ).run()
            try await Self.insertMetadata(client, into: database)
        }
    }

    /// The client with its extended metadata, or nil.
    public func client(id: String) async throws(ClientStoreError) -> RegisteredClient? {
        try await self.perform("read client") { database in
            guard
                let row = try await database.raw(
                    "SELECT \(idents: Self.clientColumns, joinedBy: ", ") FROM clients WHERE client_id = \(bind: id)"
                ).first()
            else { return nil }
            let metadata = try await Self.metadata(forClient: id, in: database)
            return try Self.client(from: row, extendedMetadata: metadata[id] ?? [:])
        }
    }

    /// Replaces every column but `client_id`, and the extended metadata, in one transaction.
    public func update(_ client: RegisteredClient) async throws(ClientStoreError) -> Bool {
        try await self.transaction("update client") { database in
            let assignments = zip(Self.clientColumns, Self.clientValues(client)).dropFirst()
            var query = SQLQueryString("UPDATE clients SET ")
            for (index, (column, value)) in assignments.enumerated() {
                query.appendInterpolation(unsafeRaw: index == 0 ? "" : ", ")
                query.appendInterpolation(ident: column)
                query.appendInterpolation(unsafeRaw: " = ")
                query.appendInterpolation(bind: value)
            }
            query.appendInterpolation(unsafeRaw: " WHERE client_id = ")
            query.appendInterpolation(bind: client.clientID)
            query.appendInterpolation(unsafeRaw: " RETURNING client_id")
            guard try await database.raw(query).first() != nil else {
                return false
            }
            try await database.raw("DELETE FROM client_metadata WHERE client_id = \(bind: client.clientID)").run()
            try await Self.insertMetadata(client, into: database)
            return true
        }
    }

    /// Deletes the client and its metadata and revokes its tokens, in one transaction.
    public func delete(id: String) async throws(ClientStoreError) -> Bool {
        try await self.transaction("delete client") { database in
            let existed = try await database.raw("DELETE FROM clients WHERE client_id = \(bind: id) RETURNING client_id").first() != nil
            try await database.raw("DELETE FROM client_metadata WHERE client_id = \(bind: id)").run()
            try await database.raw("UPDATE tokens SET revoked = TRUE WHERE client_id = \(bind: id)").run()
            return existed
        }
    }

    /// All clients, oldest first (ties by `client_id`).
    public func list() async throws(ClientStoreError) -> [RegisteredClient] {
        try await self.perform("list clients") { database in
            let rows = try await database.raw(
                """
                SELECT \(idents: Self.clientColumns, joinedBy: ", ") FROM clients
                ORDER BY client_id_issued_at, client_id
                """
            ).all()
            let metadata = try await Self.metadata(forClient: nil, in: database)
            return try rows.map { row in
                let clientID = try row.decode(column: "client_id", as: String.self)
                return try Self.client(from: row, extendedMetadata: metadata[clientID] ?? [:])
            }
        }
    }
}
