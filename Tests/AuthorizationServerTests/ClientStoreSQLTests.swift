@testable import AuthorizationServer
import Foundation
import SQLKit
import Testing

/// What only the SQL store does: schema migrations, SQLite durability settings, failures of an
/// unreachable database, bounded waits.
@Suite("SQL client store")
struct ClientStoreSQLTests {
    @Test("the schema is created once and reopening migrates nothing; data survives a reopen")
    func migrationsAreIdempotent() async throws {
        let directory = try StoreTestDirectory("as-migrate")
        defer { directory.remove() }
        let settings = try DatabaseSettings(url: "sqlite:nested/dir/as.sqlite", baseDirectory: directory.path)
        let client = StoreSamples.client()

        let first = try await StoreUnderTest.open(settings, directory: nil)
        try await first.store.insert(client)
        await first.close()

        let (store, _) = try await SQLClientStore.open(settings, logger: StoreUnderTest.logger)
        #expect(try await store.client(id: client.clientID) == client)
        let versions = try await store.perform("versions") { database in
            try await database.raw("SELECT version FROM schema_migrations").all().map {
                try $0.decode(column: "version", as: Int64.self)
            }
        }
        #expect(versions == [1])
    }

    @Test("SQLite runs in WAL mode with synchronous=FULL; the file is private")
    func sqliteDurabilitySettings() async throws {
        let directory = try StoreTestDirectory("as-wal")
        defer { directory.remove() }
        let settings = try DatabaseSettings(url: "sqlite:data/as.sqlite", baseDirectory: directory.path)
        let (store, _) = try await SQLClientStore.open(settings, logger: StoreUnderTest.logger)
        let (mode, synchronous) = try await store.perform("pragmas") { database in
            let mode = try await database.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            let synchronous = try await database.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            return (mode, synchronous)
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)  // FULL
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("data/as.sqlite"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory.file("data"))
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test("a database migrated by a newer server is refused")
    func newerSchemaRefused() async throws {
        let directory = try StoreTestDirectory("as-newer")
        defer { directory.remove() }
        let settings = try DatabaseSettings(url: "sqlite:as.sqlite", baseDirectory: directory.path)
        do {
            let (store, _) = try await SQLClientStore.open(settings, logger: StoreUnderTest.logger)
            try await store.perform("future") { database in
                try await database.raw("INSERT INTO schema_migrations (version, summary, applied_at) VALUES (99, 'future', 0)").run()
            }
        }
        let error = await #expect(throws: ClientStoreError.self) {
            _ = try await SQLClientStore.open(settings, logger: StoreUnderTest.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.underlying.contains("schema is version 99, newer than this server's 1") == true)
    }

    @Test("sqlite::memory: works through makeClientStore")
    func memorySQLite() async throws {
        let opened = try await StoreUnderTest.open(try DatabaseSettings(url: "sqlite::memory:", baseDirectory: "/"), directory: nil)
        let client = StoreSamples.client()
        try await opened.store.insert(client)
        #expect(try await opened.store.list() == [client])
        await opened.close()
    }

    @Test("after the service stops, calls fail as unavailable instead of crashing")
    func closedStore() async throws {
        let opened = try await StoreUnderTest.open(.sqlite)
        let store = opened.store
        await opened.close()
        let error = await #expect(throws: ClientStoreError.self) { _ = try await store.list() }
        #expect(error?.code == .unavailable)
    }

    @Test("PostgreSQL on a socket that does not exist: a prompt, clear error naming it, no password")
    func unreachablePostgres() async throws {
        let settings = try DatabaseSettings(
            url: "postgres://as:hunter2@/oauth?host=/nonexistent/pg-\(UUID().uuidString.prefix(8))",
            baseDirectory: "/"
        )
        let started = ContinuousClock.now
        let error = await #expect(throws: ClientStoreError.self) {
            _ = try await makeClientStore(settings, logger: StoreUnderTest.logger)
        }
        // Bounded by connect_timeout (5 s) and not a hang; generous for a loaded 2-core CI machine.
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(error?.code == .unavailable)
        let message = error?.underlying ?? ""
        #expect(message.hasPrefix("cannot connect to PostgreSQL at postgres://as:***@/oauth?host=/nonexistent/pg-"), "\(message)")
        #expect(!message.contains("hunter2"))
    }

    @Test(
        "PostgreSQL: a call that gets no connection fails as unavailable after connect_timeout",
        .enabled(if: StoreKind.postgresURL != nil)
    )
    func postgresCallBounded() async throws {
        var settings = try DatabaseSettings(url: try #require(StoreKind.postgresURL), baseDirectory: "/")
        settings.connectTimeout = .milliseconds(300)
        // The pool's service is deliberately not run: no connection can ever be leased.
        let (store, _) = try await SQLClientStore.open(settings, logger: StoreUnderTest.logger)
        let started = ContinuousClock.now
        let error = await #expect(throws: ClientStoreError.self) { _ = try await store.client(id: "x") }
        #expect(error?.code == .unavailable)
        #expect(error?.underlying == "read client: no answer from the database within 0.3 seconds")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("the operation deadline holds even when the operation ignores it")
    func deadline() async throws {
        let error = await #expect(throws: SQLClientStoreDeadline.Expired.self) {
            try await SQLClientStoreDeadline.run(within: .milliseconds(50)) {
                try await Task.sleep(for: .seconds(3600))
            }
        }
        #expect(error?.description == "no answer from the database within 0.05 seconds")
        #expect(try await SQLClientStoreDeadline.run(within: .seconds(60)) { 42 } == 42)
    }

    @Test("the in-memory store simulates an outage")
    func inMemoryOutage() async throws {
        let store = InMemoryClientStore()
        await store.setAvailable(false)
        let error = await #expect(throws: ClientStoreError.self) { _ = try await store.client(id: "x") }
        #expect(error?.code == .unavailable)
        await store.setAvailable(true)
        #expect(try await store.client(id: "x") == nil)
    }
}
