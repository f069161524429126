import AuthorizationServer
import Foundation
import Testing

/// The `ClientStore` contract, run against every store: in memory, SQLite, PostgreSQL (when the
/// test command provides one). The in-memory store must behave exactly like the SQL one.
@Suite("client store contract")
struct ClientStoreContractTests {
    /// Runs `body` with a fresh store of `kind`, closing it afterwards.
    static func with(_ kind: StoreKind, _ body: (any ClientStore) async throws -> Void) async throws {
        let opened = try await StoreUnderTest.open(kind)
        do {
            try await body(opened.store)
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
    }

    @Test("insert, then read back exactly what was stored", arguments: StoreKind.available)
    func insertAndRead(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let client = StoreSamples.client(authMethod: "client_secret_basic")
            try await store.insert(client)
            #expect(try await store.client(id: client.clientID) == client)

            var minimal = StoreSamples.client()
            minimal.tlsClientAuthSubjectDN = nil
            minimal.extendedMetadata = [:]
            try await store.insert(minimal)
            #expect(try await store.client(id: minimal.clientID) == minimal)
            #expect(try await store.client(id: "unknown-" + UUID().uuidString) == nil)
        }
    }

    @Test("a duplicate client_id is a conflict and changes nothing", arguments: StoreKind.available)
    func duplicateInsert(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let client = StoreSamples.client()
            try await store.insert(client)
            var other = StoreSamples.client(id: client.clientID)
            other.scope = "payments"
            let error = await #expect(throws: ClientStoreError.self) { try await store.insert(other) }
            #expect(error?.code == .conflict)
            #expect(try await store.client(id: client.clientID) == client)
        }
    }

    @Test("update replaces the registration and its extended metadata; unknown ids are false", arguments: StoreKind.available)
    func update(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let client = StoreSamples.client()
            try await store.insert(client)
            var changed = client
            changed.updatedAt += 60
            changed.scope = "payments openid"
            changed.tokenEndpointAuthMethod = "private_key_jwt"
            changed.tlsClientAuthSubjectDN = nil
            changed.extendedMetadata = ["org_id": "0015800001041REAAY", "software_mode": "Live"]
            #expect(try await store.update(changed))
            #expect(try await store.client(id: client.clientID) == changed)
            #expect(try await store.update(StoreSamples.client()) == false)
        }
    }

    @Test("delete removes the client and revokes its tokens, not others'", arguments: StoreKind.available)
    func delete(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let client = StoreSamples.client()
            let other = StoreSamples.client()
            try await store.insert(client)
            try await store.insert(other)
            let token = StoreSamples.token(clientID: client.clientID)
            let otherToken = StoreSamples.token(clientID: other.clientID)
            try await store.recordToken(token)
            try await store.recordToken(otherToken)

            #expect(try await store.delete(id: client.clientID))
            #expect(try await store.client(id: client.clientID) == nil)
            #expect(try await store.activeToken(jti: token.jti) == nil)
            #expect(try await store.activeToken(jti: otherToken.jti) == otherToken)
            #expect(try await store.client(id: other.clientID) == other)
            #expect(try await store.delete(id: client.clientID) == false)
        }
    }

    @Test("list is oldest first, ties by client_id", arguments: StoreKind.available)
    func listOrder(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let base = Int64(Date().timeIntervalSince1970) * 1000 + Int64.random(in: 0..<1_000_000)
            let prefix = UUID().uuidString
            let clients = [
                StoreSamples.client(id: prefix + "-c", issuedAt: base + 2),
                StoreSamples.client(id: prefix + "-b", issuedAt: base + 1),
                StoreSamples.client(id: prefix + "-a", issuedAt: base + 2),
            ]
            for client in clients {
                try await store.insert(client)
            }
            let listed = try await store.list().filter { $0.clientID.hasPrefix(prefix) }
            #expect(listed.map(\.clientID) == [prefix + "-b", prefix + "-a", prefix + "-c"])
            #expect(listed.first == clients[1])
        }
    }

    @Test("a jti is accepted once per scope until it expires", arguments: StoreKind.available)
    func jtiReplay(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let jti = "jti-" + UUID().uuidString
            let later = Date().addingTimeInterval(3600)
            #expect(try await store.recordJTI(jti, scope: "register", expiresAt: later))
            #expect(try await store.recordJTI(jti, scope: "register", expiresAt: later) == false)
            #expect(try await store.recordJTI(jti, scope: "token", expiresAt: later))

            // A record whose window has passed no longer blocks the value.
            let expired = "jti-" + UUID().uuidString
            #expect(try await store.recordJTI(expired, scope: "register", expiresAt: Date().addingTimeInterval(-5)))
            #expect(try await store.recordJTI(expired, scope: "register", expiresAt: later))
            #expect(try await store.recordJTI(expired, scope: "register", expiresAt: later) == false)
        }
    }

    @Test("concurrent recordings of one jti: exactly one wins", arguments: StoreKind.available)
    func concurrentJTI(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let jti = "jti-" + UUID().uuidString
            let expiry = Date().addingTimeInterval(3600)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 {
                    group.addTask { try await store.recordJTI(jti, scope: "register", expiresAt: expiry) }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
        }
    }

    @Test("purgeExpired forgets expired jtis and tokens only", arguments: StoreKind.available)
    func purge(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let now = Date()
            let nowSeconds = Int64(now.timeIntervalSince1970)
            let client = StoreSamples.client()
            let old = StoreSamples.token(clientID: client.clientID, expiresAt: nowSeconds - 10)
            let fresh = StoreSamples.token(clientID: client.clientID, expiresAt: nowSeconds + 600)
            try await store.recordToken(old)
            try await store.recordToken(fresh)
            // Still readable (the caller checks exp) until purged.
            #expect(try await store.activeToken(jti: old.jti) == old)
            let keptJTI = "jti-" + UUID().uuidString
            #expect(try await store.recordJTI(keptJTI, scope: "register", expiresAt: now.addingTimeInterval(600)))

            try await store.purgeExpired(now: now)
            #expect(try await store.activeToken(jti: old.jti) == nil)
            #expect(try await store.activeToken(jti: fresh.jti) == fresh)
            #expect(try await store.recordJTI(keptJTI, scope: "register", expiresAt: now.addingTimeInterval(600)) == false)
        }
    }

    @Test("tokens: recorded, revoked, duplicate jti is a conflict", arguments: StoreKind.available)
    func tokens(_ kind: StoreKind) async throws {
        try await Self.with(kind) { (store: any ClientStore) async throws in
            let token = StoreSamples.token(clientID: "client-" + UUID().uuidString)
            #expect(try await store.activeToken(jti: token.jti) == nil)
            try await store.recordToken(token)
            #expect(try await store.activeToken(jti: token.jti) == token)
            let error = await #expect(throws: ClientStoreError.self) { try await store.recordToken(token) }
            #expect(error?.code == .conflict)
            try await store.revokeToken(jti: token.jti)
            #expect(try await store.activeToken(jti: token.jti) == nil)
            try await store.revokeToken(jti: "unknown-" + UUID().uuidString)
        }
    }
}
