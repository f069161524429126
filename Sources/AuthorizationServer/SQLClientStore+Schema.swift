import Foundation
import SQLKit

extension SQLClientStore {
    /// One schema change: a version number and the statements that apply it.
    struct Migration: Sendable {
        /// Applied in ascending order; recorded in `schema_migrations`.
        var version: Int64
        /// What it does, recorded with the version.
        var summary: String
        /// The statements, written once for both engines (SQLite and PostgreSQL accept the same
        /// `TEXT`, `BIGINT` and `BOOLEAN` columns and `IF NOT EXISTS` forms).
        var statements: [String]
    }

    /// Every migration, oldest first. Never edit a released one: add a new version.
    static let migrations: [Migration] = [
        Migration(
            version: 1,
            summary: "clients, client_metadata, jtis, tokens",
            statements: [
                """
                CREATE TABLE IF NOT EXISTS clients (
                    client_id TEXT PRIMARY KEY,
                    client_id_issued_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    token_endpoint_auth_method TEXT NOT NULL,
                    tls_client_auth_subject_dn TEXT,
                    client_secret_hash TEXT,
                    registration_access_token_hash TEXT NOT NULL,
                    software_id TEXT NOT NULL,
                    org_id TEXT NOT NULL,
                    transport_certificate_thumbprint TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    metadata_json TEXT NOT NULL,
                    software_statement TEXT NOT NULL,
                    software_statement_claims_json TEXT NOT NULL
                )
                """,
                "CREATE INDEX IF NOT EXISTS clients_software_id ON clients (software_id)",
                "CREATE INDEX IF NOT EXISTS clients_org_id ON clients (org_id)",
                // The configured `extended_metadata` SSA claims, one row per claim: queryable by
                // name and value (`WHERE name = 'org_id' AND value = '…'`).
                """
                CREATE TABLE IF NOT EXISTS client_metadata (
                    client_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (client_id, name)
                )
                """,
                "CREATE INDEX IF NOT EXISTS client_metadata_name_value ON client_metadata (name, value)",
                // Replay protection: the unique constraint is the check, so it holds across
                // replicas sharing the database (no read-then-write race).
                """
                CREATE TABLE IF NOT EXISTS jtis (
                    jti TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    CONSTRAINT jtis_jti_scope UNIQUE (jti, scope)
                )
                """,
                "CREATE INDEX IF NOT EXISTS jtis_expires_at ON jtis (expires_at)",
                """
                CREATE TABLE IF NOT EXISTS tokens (
                    jti TEXT PRIMARY KEY,
                    client_id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    cnf TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked BOOLEAN NOT NULL DEFAULT FALSE
                )
                """,
                "CREATE INDEX IF NOT EXISTS tokens_client_id ON tokens (client_id)",
                "CREATE INDEX IF NOT EXISTS tokens_expires_at ON tokens (expires_at)",
            ]
        )
    ]

    /// The schema version this build writes.
    static var currentSchemaVersion: Int64 {
        Self.migrations.last?.version ?? 0
    }

    /// An arbitrary constant naming our advisory lock (PostgreSQL), so replicas starting together
    /// migrate one after the other.
    static let migrationLockKey: Int64 = 0x6d_746c_735f_6173  // "mtls_as"

    /// Creates or upgrades the schema in one transaction; idempotent, safe to run concurrently.
    /// - Throws: ``ClientStoreError`` `.unavailable` when the database has a newer schema than
    ///   this build knows (a newer server migrated it: running this one could corrupt data).
    static func migrate(_ database: any SQLDatabase, dialect: SQLClientStoreDialect) async throws {
        try await database.raw("\(unsafeRaw: dialect.beginTransaction)").run()
        do {
            if dialect == .postgres {
                try await database.raw("SELECT pg_advisory_xact_lock(\(literal: Self.migrationLockKey))").run()
            }
            try await database.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    summary TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """
            ).run()
            let applied = Set(
                try await database.raw("SELECT version FROM schema_migrations").all()
                    .map { try $0.decode(column: "version", as: Int64.self) }
            )
            if let newest = applied.max(), newest > Self.currentSchemaVersion {
                throw ClientStoreError(
                    .unavailable,
                    "the database schema is version \(newest), newer than this server's \(Self.currentSchemaVersion); upgrade the server"
                )
            }
            let now = Int64(Date().timeIntervalSince1970)
            for migration in Self.migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await database.raw("\(unsafeRaw: statement)").run()
                }
                try await database.raw(
                    """
                    INSERT INTO schema_migrations (version, summary, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.summary), \(bind: now))
                    """
                ).run()
            }
            try await database.raw("COMMIT").run()
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }
}
