import Foundation
import SQLKit

extension SQLClientStore {
    /// Inserts the `jti` and lets the unique constraint decide: a violation is a replay.
    ///
    /// Why not SELECT-then-INSERT: two replicas (or two requests) could both find the `jti`
    /// absent and both accept it. An expired record of the same `jti` is deleted first, so a value
    /// may be reused once its protection window has passed (as with ``purgeExpired(now:)``).
    public func recordJTI(_ jti: String, scope: String, expiresAt: Date) async throws(ClientStoreError) -> Bool {
        let expiry = ClientStoreTime.expirySeconds(expiresAt)
        let now = ClientStoreTime.nowSeconds(Date())
        return try await self.perform("record jti") { database in
            try await database.raw(
                "DELETE FROM jtis WHERE jti = \(bind: jti) AND scope = \(bind: scope) AND expires_at <= \(bind: now)"
            ).run()
            do {
                try await database.raw(
                    "INSERT INTO jtis (jti, scope, expires_at) VALUES (\(bind: jti), \(bind: scope), \(bind: expiry))"
                ).run()
                return true
            } catch where Self.isUniqueViolation(error) {
                return false
            }
        }
    }

    /// Deletes `jti`s and tokens whose expiry is at or before `now` (whole seconds).
    public func purgeExpired(now: Date) async throws(ClientStoreError) {
        let seconds = ClientStoreTime.nowSeconds(now)
        try await self.transaction("purge expired") { database in
            try await database.raw("DELETE FROM jtis WHERE expires_at <= \(bind: seconds)").run()
            try await database.raw("DELETE FROM tokens WHERE expires_at <= \(bind: seconds)").run()
        }
    }

    /// Records an issued token; a duplicate `jti` is `.conflict`.
    public func recordToken(_ token: IssuedToken) async throws(ClientStoreError) {
        try await self.perform("record token") { database in
            try await database.raw(
                """
                INSERT INTO tokens (jti, client_id, scope, cnf, issued_at, expires_at)
                VALUES (\(bind: token.jti), \(bind: token.clientID), \(bind: token.scope),
                        \(bind: token.certificateThumbprint), \(bind: token.issuedAt), \(bind: token.expiresAt))
                """
            ).run()
        }
    }

    /// The token unless unknown, purged or revoked (expiry is the caller's check, as in SQL).
    public func activeToken(jti: String) async throws(ClientStoreError) -> IssuedToken? {
        try await self.perform("read token") { database in
            try await database.raw(
                """
                SELECT jti, client_id, scope, cnf, issued_at, expires_at FROM tokens
                WHERE jti = \(bind: jti) AND revoked = FALSE
                """
            ).first().map(Self.token(from:))
        }
    }

    /// Marks the token revoked (unknown `jti`s are ignored).
    public func revokeToken(jti: String) async throws(ClientStoreError) {
        try await self.perform("revoke token") { database in
            try await database.raw("UPDATE tokens SET revoked = TRUE WHERE jti = \(bind: jti)").run()
        }
    }

    /// `SELECT 1` through the pool: a connection within `connect_timeout`, and an answer.
    public func checkAvailable() async throws(ClientStoreError) {
        try await self.perform("readiness check") { database in
            try await database.raw("SELECT 1").run()
        }
    }
}

/// How both stores turn `Date`s into the whole seconds they keep, identically.
enum ClientStoreTime {
    /// An expiry rounded up: a record is never forgotten before its time.
    static func expirySeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.up))
    }

    /// The current second, rounded down: records expiring at or before it are gone.
    static func nowSeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
