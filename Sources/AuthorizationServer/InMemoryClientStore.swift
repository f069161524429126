import Foundation

/// A ``ClientStore`` in memory, with exactly the semantics of ``SQLClientStore`` (the same test
/// suite runs against both): for tests and throw-away demos.
///
/// ``setAvailable(_:)`` simulates a database outage, so the HTTP layer's 503 path can be tested
/// without a database.
public actor InMemoryClientStore: ClientStore {
    /// Clients by id.
    private var clients: [String: RegisteredClient] = [:]
    /// Recorded `jti`s with their expiry in whole seconds (see `ClientStoreTime`).
    private var jtis: [JTIKey: Int64] = [:]
    /// Issued tokens by `jti`, with their revocation flag.
    private var tokens: [String: (token: IssuedToken, revoked: Bool)] = [:]
    /// When false, every call throws `.unavailable`.
    private var isAvailable = true

    /// One recorded `jti`: unique per scope, like the `jtis` table's constraint.
    private struct JTIKey: Hashable {
        var jti: String
        var scope: String
    }

    /// An empty store.
    public init() {}

    /// Simulates the database going down (`false`) or coming back (`true`).
    public func setAvailable(_ available: Bool) {
        self.isAvailable = available
    }

    /// Throws `.unavailable` during a simulated outage.
    public func checkAvailable() throws(ClientStoreError) {
        guard self.isAvailable else {
            throw ClientStoreError(.unavailable, "in-memory store: simulated outage")
        }
    }

    /// Stores the client; a duplicate id is `.conflict`.
    public func insert(_ client: RegisteredClient) async throws(ClientStoreError) {
        try self.checkAvailable()
        guard self.clients[client.clientID] == nil else {
            throw ClientStoreError(.conflict, "insert client: client_id \(client.clientID) already exists")
        }
        self.clients[client.clientID] = client
    }

    /// The client, or nil.
    public func client(id: String) async throws(ClientStoreError) -> RegisteredClient? {
        try self.checkAvailable()
        return self.clients[id]
    }

    /// Replaces the stored client with the same id; false when there is none.
    public func update(_ client: RegisteredClient) async throws(ClientStoreError) -> Bool {
        try self.checkAvailable()
        guard self.clients[client.clientID] != nil else { return false }
        self.clients[client.clientID] = client
        return true
    }

    /// Deletes the client and revokes its tokens.
    public func delete(id: String) async throws(ClientStoreError) -> Bool {
        try self.checkAvailable()
        let existed = self.clients.removeValue(forKey: id) != nil
        for (jti, entry) in self.tokens where entry.token.clientID == id {
            self.tokens[jti]?.revoked = true
        }
        return existed
    }

    /// All clients, oldest first (ties by `client_id`).
    public func list() async throws(ClientStoreError) -> [RegisteredClient] {
        try self.checkAvailable()
        return self.clients.values.sorted { lhs, rhs in
            (lhs.clientIDIssuedAt, lhs.clientID) < (rhs.clientIDIssuedAt, rhs.clientID)
        }
    }

    /// Records the `jti` unless an unexpired record of it (same scope) exists.
    public func recordJTI(_ jti: String, scope: String, expiresAt: Date) async throws(ClientStoreError) -> Bool {
        try self.checkAvailable()
        let key = JTIKey(jti: jti, scope: scope)
        if let existing = self.jtis[key], existing > ClientStoreTime.nowSeconds(Date()) {
            return false
        }
        self.jtis[key] = ClientStoreTime.expirySeconds(expiresAt)
        return true
    }

    /// Deletes `jti`s and tokens whose expiry is at or before `now` (whole seconds).
    public func purgeExpired(now: Date) async throws(ClientStoreError) {
        try self.checkAvailable()
        let seconds = ClientStoreTime.nowSeconds(now)
        self.jtis = self.jtis.filter { $0.value > seconds }
        self.tokens = self.tokens.filter { $0.value.token.expiresAt > seconds }
    }

    /// Records an issued token; a duplicate `jti` is `.conflict`.
    public func recordToken(_ token: IssuedToken) async throws(ClientStoreError) {
        try self.checkAvailable()
        guard self.tokens[token.jti] == nil else {
            throw ClientStoreError(.conflict, "record token: jti \(token.jti) already exists")
        }
        self.tokens[token.jti] = (token, false)
    }

    /// The token unless unknown, purged or revoked (expiry is the caller's check, as with ``SQLClientStore``).
    public func activeToken(jti: String) async throws(ClientStoreError) -> IssuedToken? {
        try self.checkAvailable()
        guard let entry = self.tokens[jti], !entry.revoked else { return nil }
        return entry.token
    }

    /// Marks the token revoked (unknown `jti`s are ignored).
    public func revokeToken(jti: String) async throws(ClientStoreError) {
        try self.checkAvailable()
        self.tokens[jti]?.revoked = true
    }
}
