import Foundation

/// Persistence of the authorization server: clients, replay protection and issued tokens.
///
/// Implementations: `SQLClientStore` (SQLite by default, PostgreSQL for replicas) and
/// `InMemoryClientStore` (tests). Every method either completes durably or throws
/// `ClientStoreError`; a 201 is only sent after `insert` returned.
public protocol ClientStore: Sendable {
    /// Stores a new client (committed before returning).
    func insert(_ client: RegisteredClient) async throws(ClientStoreError)
    /// The client, or nil when unknown or deleted.
    func client(id: String) async throws(ClientStoreError) -> RegisteredClient?
    /// Replaces a client's registration (PUT); false when it does not exist.
    func update(_ client: RegisteredClient) async throws(ClientStoreError) -> Bool
    /// Deletes a client and revokes all its tokens; false when it did not exist.
    func delete(id: String) async throws(ClientStoreError) -> Bool
    /// All clients, oldest first.
    func list() async throws(ClientStoreError) -> [RegisteredClient]

    /// Records a JWT `jti` (request JWTs, client assertions) until `expiresAt`.
    /// Returns false when it is already recorded: a replay. Backed by a unique constraint so it
    /// holds across replicas sharing one database.
    func recordJTI(_ jti: String, scope: String, expiresAt: Date) async throws(ClientStoreError) -> Bool
    /// Forgets expired `jti`s and tokens.
    func purgeExpired(now: Date) async throws(ClientStoreError)

    /// Records an issued access token (by its `jti`) for revocation and introspection.
    func recordToken(_ token: IssuedToken) async throws(ClientStoreError)
    /// The recorded token, or nil when unknown, expired and purged, or revoked.
    func activeToken(jti: String) async throws(ClientStoreError) -> IssuedToken?
    /// Revokes one token.
    func revokeToken(jti: String) async throws(ClientStoreError)

    /// Throws `.unavailable` when the store cannot serve requests now (readiness, `GET /readyz`).
    func checkAvailable() async throws(ClientStoreError)
}


/// An access token the server issued.
public struct IssuedToken: Sendable, Hashable, Codable {
    public var jti: String
    public var clientID: String
    public var scope: String
    /// `cnf.x5t#S256`: the certificate the token is bound to (RFC 8705 §3).
    public var certificateThumbprint: String
    public var issuedAt: Int64
    public var expiresAt: Int64

    public init(jti: String, clientID: String, scope: String, certificateThumbprint: String, issuedAt: Int64, expiresAt: Int64) {
        self.jti = jti
        self.clientID = clientID
        self.scope = scope
        self.certificateThumbprint = certificateThumbprint
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}

/// A storage failure; the HTTP layer answers 503 `temporarily_unavailable` (never 500, never a
/// hang) and logs `underlying`.
public struct ClientStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unavailable = "database_unavailable"
        case conflict = "conflict"
        case corrupt = "corrupt_record"
    }
    public var code: Code
    public var underlying: String

    public init(_ code: Code, _ underlying: String) {
        self.code = code
        self.underlying = underlying
    }

    public var description: String { "\(self.code.rawValue): \(self.underlying)" }
}
